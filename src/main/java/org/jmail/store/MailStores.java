package org.jmail.store;

import org.jmail.auth.AuthUser;

/**
 * Opens a user's {@link MailStore} after login (Dovecot's mail storage init): expands
 * mail_location for the user and creates the special-use folders configured to be created
 * automatically (Sent, Drafts, Trash, Junk) on first use.
 */
public interface MailStores {

    MailStore open(AuthUser user) throws StoreException;
}
