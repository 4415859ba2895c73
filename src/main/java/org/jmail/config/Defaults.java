package org.jmail.config;

import java.net.InetAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every main.cf key jmail knows, with its default. Values are Postfix's (postconf -d on Debian
 * 12, compatibility_level 3.6) unless the comment says why jmail differs; Dovecot keys carry
 * Dovecot's default. A key not listed here is "unknown": warned about, never fatal.
 */
public final class Defaults {

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    private static void d(String key, String value) {
        DEFAULTS.put(key, value);
    }

    static {
        // identity and addressing
        d("mail_name", "jmail");
        d("myhostname", systemHostname());
        d("mydomain", domainOf(systemHostname()));
        d("myorigin", "$myhostname");
        d("mydestination", "$myhostname, localhost.$mydomain, localhost");
        d("mynetworks", "127.0.0.0/8 [::ffff:127.0.0.0]/104 [::1]/128");
        d("mynetworks_style", "host");
        d("inet_interfaces", "all");
        d("inet_protocols", "all");
        d("relayhost", "");
        d("relay_domains", "");
        d("append_dot_mydomain", "no");
        d("append_at_myorigin", "yes");
        d("recipient_delimiter", "");
        d("compatibility_level", "3.6");
        // Debian's stock main.cf and Postfix's installation layout: accepted, no effect in jmail
        d("readme_directory", "no");
        d("html_directory", "no");
        d("manpage_directory", "/usr/share/man");
        d("sample_directory", "/etc/postfix");
        d("command_directory", "/usr/sbin");
        d("daemon_directory", "/usr/lib/postfix/sbin");
        d("syslog_name", "postfix");
        d("syslog_facility", "mail");
        // accepted for Debian's main.cf (biff = no); jmail never notifies comsat
        d("biff", "yes");
        // Dovecot's key: the tag of the IMAP/POP3/auth lines, "dovecot" so fail2ban's dovecot filter matches
        d("syslog_ident", "dovecot");
        d("maillog_file", "");
        // jmail: where the daemon writes the log itself when nothing listens on /dev/log
        d("maillog_fallback_file", "/var/log/mail.log");
        // tables
        d("default_database_type", "hash");
        d("alias_maps", "hash:/etc/aliases");
        d("alias_database", "hash:/etc/aliases");
        d("transport_maps", "");
        d("local_recipient_maps", "proxy:unix:passwd.byname $alias_maps");
        d("virtual_alias_maps", "$virtual_maps");
        d("virtual_maps", "");
        d("virtual_alias_recursion_limit", "1000");
        d("virtual_alias_expansion_limit", "1000");
        d("canonical_maps", "");
        d("recipient_canonical_maps", "");
        d("sender_canonical_maps", "");
        // directories (jmail's own names where Postfix says postfix)
        d("config_directory", "/etc/jmail");
        d("queue_directory", "/var/spool/jmail");
        d("data_directory", "/var/lib/jmail");
        d("mail_spool_directory", "/var/mail");
        d("mail_owner", "jmail");
        d("default_privs", "nobody");
        // sendmail(1), pickup, postqueue: who may submit, list, flush (Postfix's defaults)
        d("authorized_submit_users", "static:anyone");
        d("authorized_mailq_users", "static:anyone");
        d("authorized_flush_users", "static:anyone");
        d("pickup_rescan_time", "60s"); // jmail's: maildrop/ rescan besides inotify
        // limits
        d("mailbox_size_limit", "51200000");
        d("message_size_limit", "10240000");
        d("header_size_limit", "102400");
        d("line_length_limit", "2048");
        d("default_process_limit", "100");
        d("smtpd_recipient_limit", "1000");
        d("smtpd_timeout", "300s");
        d("smtpd_hard_error_limit", "20");
        d("smtpd_soft_error_limit", "10");
        d("smtpd_error_sleep_time", "1s");
        d("smtpd_client_connection_count_limit", "50");
        d("smtpd_client_connection_rate_limit", "0");
        d("smtpd_client_message_rate_limit", "0");
        d("smtpd_client_recipient_rate_limit", "0");
        d("smtpd_client_auth_rate_limit", "0");
        d("smtpd_client_event_limit_exceptions", "$mynetworks");
        d("anvil_rate_time_unit", "60s");
        // smtpd
        d("smtpd_banner", "$myhostname ESMTP $mail_name");
        d("smtpd_helo_required", "no");
        d("smtpd_peername_lookup", "yes");
        d("smtpd_delay_reject", "yes");
        d("smtpd_client_restrictions", "");
        d("smtpd_helo_restrictions", "");
        d("smtpd_sender_restrictions", "");
        d("smtpd_relay_restrictions", "permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination");
        d("smtpd_recipient_restrictions", "");
        d("smtpd_data_restrictions", "");
        d("smtpd_end_of_data_restrictions", "");
        d("smtpd_sasl_auth_enable", "no");
        d("smtpd_sasl_type", "cyrus");
        d("smtpd_sasl_path", "smtpd");
        d("smtpd_sasl_security_options", "noanonymous");
        d("smtpd_sasl_tls_security_options", "$smtpd_sasl_security_options");
        d("smtpd_sender_login_maps", "");
        d("broken_sasl_auth_clients", "no");
        d("smtpd_sasl_authenticated_header", "no");
        d("smtpd_tls_security_level", "");
        d("smtpd_use_tls", "no");
        d("smtpd_enforce_tls", "no");
        d("smtpd_tls_wrappermode", "no");
        d("smtpd_tls_auth_only", "no");
        d("smtpd_tls_received_header", "no");
        d("disable_vrfy_command", "no");
        d("strict_rfc821_envelopes", "no");
        d("smtpd_reject_unlisted_recipient", "yes");
        d("unknown_local_recipient_reject_code", "550");
        d("relay_domains_reject_code", "554");
        d("smtpd_discard_ehlo_keywords", "");
        d("always_add_missing_headers", "no");
        d("smtpd_forbid_bare_newline", "no");
        d("smtpd_forbid_bare_newline_exclusions", "$mynetworks");
        d("smtpd_recipient_overshoot_limit", "1000");
        d("smtpd_junk_command_limit", "100");
        d("reject_code", "554");
        d("defer_code", "450");
        d("access_map_reject_code", "554");
        d("access_map_defer_code", "450");
        d("non_fqdn_reject_code", "504");
        d("invalid_hostname_reject_code", "501");
        d("unknown_hostname_reject_code", "450");
        d("unknown_client_reject_code", "450");
        d("unknown_address_reject_code", "450");
        d("maps_rbl_reject_code", "554");
        d("smtpd_null_access_lookup_key", "<>");
        d("smtputf8_enable", "yes");
        d("double_bounce_sender", "double-bounce");
        d("soft_bounce", "no");
        d("proxy_interfaces", "");
        d("parent_domain_matches_subdomains", "debug_peer_list,fast_flush_domains,mynetworks,"
                + "permit_mx_backup_networks,qmqpd_authorized_clients,relay_domains,smtpd_access_maps");
        // queue manager and delivery
        d("queue_run_delay", "300s");
        d("minimal_backoff_time", "300s");
        d("maximal_backoff_time", "4000s");
        d("maximal_queue_lifetime", "5d");
        d("bounce_queue_lifetime", "5d");
        d("delay_warning_time", "0h");
        d("notify_classes", "resource, software");
        d("2bounce_notice_recipient", "postmaster");
        d("bounce_notice_recipient", "postmaster");
        d("default_transport", "smtp");
        d("local_transport", "local:$myhostname");
        d("relay_transport", "relay");
        d("local_destination_concurrency_limit", "2");
        d("default_destination_recipient_limit", "50");
        d("local_destination_recipient_limit", "1");
        for (String t : new String[] {"smtp", "relay", "error", "discard", "retry"}) {
            d(t + "_destination_concurrency_limit", "$default_destination_concurrency_limit");
            d(t + "_destination_recipient_limit", "$default_destination_recipient_limit");
        }
        d("hopcount_limit", "50");
        d("message_drop_headers", "bcc, content-length, resent-bcc, return-path");
        d("header_checks", "");
        d("receive_override_options", "");
        d("body_checks", "");
        d("body_checks_size_limit", "51200");
        d("mime_header_checks", "$header_checks");
        d("nested_header_checks", "$header_checks");
        d("local_header_rewrite_clients", "permit_inet_interfaces");
        d("undisclosed_recipients_header", "");
        d("bounce_size_limit", "50000");
        d("qmgr_message_active_limit", "20000");
        d("delay_logging_resolution_limit", "2");
        d("default_destination_concurrency_limit", "20");
        // smtp(8) client and the DNS resolver (jmail_dns_*: jmail's own; empty = /etc/resolv.conf)
        d("jmail_dns_servers", "");
        d("jmail_dns_timeout", "5s");
        d("jmail_dns_retries", "2");
        d("smtp_helo_name", "$myhostname");
        d("smtp_tcp_port", "smtp");
        d("smtp_host_lookup", "dns");
        d("smtp_mx_address_limit", "5");
        d("smtp_mx_session_limit", "2");
        d("smtp_randomize_addresses", "yes");
        d("smtp_connect_timeout", "30s");
        d("smtp_helo_timeout", "300s");
        d("smtp_mail_timeout", "300s");
        d("smtp_rcpt_timeout", "300s");
        d("smtp_data_init_timeout", "120s");
        d("smtp_data_xfer_timeout", "180s");
        d("smtp_data_done_timeout", "600s");
        d("smtp_rset_timeout", "20s");
        d("smtp_quit_timeout", "300s");
        d("smtp_starttls_timeout", "300s");
        d("smtp_connection_cache_time_limit", "2s");
        d("smtp_connection_reuse_time_limit", "300s");
        d("smtp_always_send_ehlo", "yes");
        d("smtp_never_send_ehlo", "no");
        d("smtp_skip_5xx_greeting", "yes");
        d("smtp_line_length_limit", "998");
        d("smtp_tls_security_level", "");
        // Debian's stock main.cf sets these; jmail's SMTP client verifies no certificates and
        // keeps no TLS session cache, so they are accepted without effect
        d("smtp_tls_CApath", "");
        d("smtp_tls_CAfile", "");
        d("smtp_tls_session_cache_database", "");
        d("smtpd_tls_session_cache_database", "");
        d("smtp_use_tls", "no");
        d("smtp_enforce_tls", "no");
        d("smtp_tls_loglevel", "0");
        d("smtp_sasl_auth_enable", "no");
        d("smtp_sasl_password_maps", "");
        d("smtp_sasl_security_options", "noplaintext, noanonymous");
        d("smtp_sasl_tls_security_options", "$smtp_sasl_security_options");
        d("smtp_sasl_auth_soft_bounce", "yes");
        d("disable_mime_output_conversion", "no");
        // local(8)
        d("allow_mail_to_commands", "alias, forward");
        d("allow_mail_to_files", "alias, forward");
        d("forward_path", "$home/.forward${recipient_delimiter}${extension}, $home/.forward");
        d("home_mailbox", "");
        d("mailbox_command", "");
        d("local_command_shell", "");
        d("owner_request_special", "yes");
        d("expand_owner_alias", "no");
        d("propagate_unmatched_extensions", "canonical, virtual");
        d("prepend_delivered_header", "command, file, forward");
        d("strict_mailbox_ownership", "yes");
        d("command_time_limit", "1000s");
        d("command_expansion_filter", "1234567890!@%-_=+:,./abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
        d("forward_expansion_filter", "1234567890!@%-_=+:,./abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ");
        d("export_environment", "TZ MAIL_CONFIG LANG");
        d("import_environment", "MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ XAUTHORITY DISPLAY LANG=C POSTLOG_SERVICE POSTLOG_HOSTNAME");
        d("luser_relay", "");
        d("deliver_lock_attempts", "20");
        d("deliver_lock_delay", "1s");
        // jmail: 300s like liblockfile (Postfix says 500s); only for lock files without a pid
        d("stale_lock_time", "300s");
        // Dovecot keys (mail access, issue 3)
        d("mail_location", "mbox:~/mail:INBOX=/var/mail/%u");
        d("mail_privileged_group", "mail");
        d("first_valid_uid", "500");
        d("disable_plaintext_auth", "yes");
        d("auth_mechanisms", "plain");
        d("auth_failure_delay", "2s");
        d("auth_verbose", "no");
        d("auth_username_format", "%Lu");
        d("auth_username_chars", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01234567890.-_@");
        d("login_trusted_networks", "");
        d("last_valid_uid", "0");
        d("first_valid_gid", "1");
        d("last_valid_gid", "0");
        // passdb/userdb: Dovecot's passdb { driver args } blocks as flat keys; unix = shadow + crypt(3)
        d("passdb_driver", "unix");
        d("passdb_args", "");
        d("userdb_driver", "unix");
        d("userdb_args", "");
        // jmail: a verified-credentials cache on by default (Dovecot: 0); yescrypt costs ~80 ms a login
        d("auth_cache_size", "10M");
        d("auth_cache_ttl", "1 hour");
        d("auth_cache_negative_ttl", "1 hour");
        d("login_greeting", "jmail ready.");
        d("mail_max_userip_connections", "10");
        d("mbox_lock_timeout", "30s");
        // IMAP
        d("imap_max_line_length", "64k");
        d("imap_idle_notify_interval", "2 mins");
        // jmail: 1s (Dovecot: 30 secs); a stat per second per IDLE session is cheap
        d("mailbox_idle_check_interval", "1s");
        d("imap_capability", "");
        // jmail: implicit TLS for an imapd/pop3d service (default yes when it is named imaps/pop3s)
        d("imapd_tls_wrappermode", "");
        d("pop3d_tls_wrappermode", "");
        // POP3
        d("pop3_uidl_format", "%08Xu%08Xv");
        d("pop3_lock_session", "no");
        d("pop3_no_flag_updates", "no");
        d("pop3_deleted_flag", "");
        d("pop3_delete_type", "default");
        // TLS: Postfix's certificate keys are shared by all services; ssl_* (Dovecot) override them
        d("smtpd_tls_cert_file", "");
        d("smtpd_tls_key_file", "$smtpd_tls_cert_file");
        d("ssl_cert", "");
        d("ssl_key", "");
        d("ssl_min_protocol", "TLSv1.2");
        d("ssl_cipher_list", "");
        d("ssl_prefer_server_ciphers", "yes");
    }

    private Defaults() {
    }

    /** Key → default value (unexpanded), in a stable order. */
    public static Map<String, String> all() {
        return Collections.unmodifiableMap(DEFAULTS);
    }

    public static boolean isKnown(String key) {
        return DEFAULTS.containsKey(key);
    }

    static String systemHostname() {
        try {
            String h = InetAddress.getLocalHost().getCanonicalHostName();
            if (h != null && h.indexOf('.') > 0 && !Character.isDigit(h.charAt(h.length() - 1))) {
                return h.toLowerCase();
            }
            String name = InetAddress.getLocalHost().getHostName().toLowerCase();
            return name.indexOf('.') > 0 ? name : name + ".localdomain";
        } catch (Exception e) {
            return "localhost.localdomain";
        }
    }

    static String domainOf(String host) {
        int dot = host.indexOf('.');
        return dot > 0 && dot < host.length() - 1 ? host.substring(dot + 1) : "localdomain";
    }
}
