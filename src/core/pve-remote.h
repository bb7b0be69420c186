/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * PveRemote: one Proxmox VE host or cluster the user keeps. Plain data plus the live state;
 * the UI binds to its properties. Only PveRemoteManager changes `state`.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  PVE_REMOTE_STATE_DISCONNECTED,
  PVE_REMOTE_STATE_CONNECTING,
  PVE_REMOTE_STATE_CONNECTED,
  PVE_REMOTE_STATE_NEEDS_TRUST,        /* unknown or changed certificate: waiting for the user */
  PVE_REMOTE_STATE_NEEDS_CREDENTIALS,  /* no secret, keyring locked/missing, or TFA code */
  PVE_REMOTE_STATE_FAILED,             /* last-error says why; "Reconnect" is offered */
} PveRemoteState;

typedef enum
{
  PVE_AUTH_KIND_PASSWORD,
  PVE_AUTH_KIND_TOKEN,
} PveAuthKind;

#define PVE_TYPE_REMOTE_STATE (pve_remote_state_get_type ())
#define PVE_TYPE_AUTH_KIND (pve_auth_kind_get_type ())
GType pve_remote_state_get_type (void) G_GNUC_CONST;
GType pve_auth_kind_get_type (void) G_GNUC_CONST;

/* "Disconnected", "Connecting…", "Connected", ... (translated) */
const char *pve_remote_state_to_label (PveRemoteState state);
/* A symbolic icon name for the state. */
const char *pve_remote_state_to_icon_name (PveRemoteState state);

#define PVE_TYPE_REMOTE (pve_remote_get_type ())
G_DECLARE_FINAL_TYPE (PveRemote, pve_remote, PVE, REMOTE, GObject)

/* A new remote with a fresh UUID id. */
PveRemote      *pve_remote_new               (void);
/* A remote with a known id (loading from the key file). */
PveRemote      *pve_remote_new_with_id       (const char     *id);
/* A copy of the configuration (not the state): used by the edit dialog. */
PveRemote      *pve_remote_dup_config        (PveRemote      *self);
/* Copies name/host/port/user/realm/auth-kind/token-id/fingerprint/autoconnect from other. */
void            pve_remote_apply_config      (PveRemote      *self,
                                              PveRemote      *other);

const char     *pve_remote_get_id            (PveRemote      *self);
const char     *pve_remote_get_name          (PveRemote      *self);
void            pve_remote_set_name          (PveRemote      *self,
                                              const char     *name);
const char     *pve_remote_get_host          (PveRemote      *self);
void            pve_remote_set_host          (PveRemote      *self,
                                              const char     *host);
guint           pve_remote_get_port          (PveRemote      *self);
void            pve_remote_set_port          (PveRemote      *self,
                                              guint           port);
/* The user without realm ("root") and the realm ("pam"). */
const char     *pve_remote_get_user          (PveRemote      *self);
void            pve_remote_set_user          (PveRemote      *self,
                                              const char     *user);
const char     *pve_remote_get_realm         (PveRemote      *self);
void            pve_remote_set_realm         (PveRemote      *self,
                                              const char     *realm);
/* "user@realm" */
char           *pve_remote_dup_userid        (PveRemote      *self);
PveAuthKind     pve_remote_get_auth_kind     (PveRemote      *self);
void            pve_remote_set_auth_kind     (PveRemote      *self,
                                              PveAuthKind     kind);
/* The token name ("automation"); the full id is "user@realm!name". */
const char     *pve_remote_get_token_id      (PveRemote      *self);
void            pve_remote_set_token_id      (PveRemote      *self,
                                              const char     *token_id);
char           *pve_remote_dup_full_token_id (PveRemote      *self);
const char     *pve_remote_get_fingerprint   (PveRemote      *self);
void            pve_remote_set_fingerprint   (PveRemote      *self,
                                              const char     *fingerprint);
gboolean        pve_remote_get_autoconnect   (PveRemote      *self);
void            pve_remote_set_autoconnect   (PveRemote      *self,
                                              gboolean        autoconnect);

PveRemoteState  pve_remote_get_state         (PveRemote      *self);
/* TRUE only in CONNECTED (read-only property "connected"). */
gboolean        pve_remote_get_connected     (PveRemote      *self);
const char     *pve_remote_get_last_error    (PveRemote      *self);
/* "pve1, Connected": what accessibility reads for the row. Property "accessible-label". */
char           *pve_remote_dup_accessible_label (PveRemote   *self);

/* For PveRemoteManager only: the one writer of state. */
void            _pve_remote_set_state        (PveRemote      *self,
                                              PveRemoteState  state,
                                              const char     *last_error);

G_END_DECLS
