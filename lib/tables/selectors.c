/* selectors.c — common provider DKIM selectors (one table, easy to extend). */
#include "tables/selectors.h"

const aa_selector aa_selectors[] = {
    {"selector1", "Microsoft 365"},
    {"selector2", "Microsoft 365"},
    {"google", "Google Workspace"},
    {"amazonses", "Amazon SES"},
    {"s1", "SendGrid"},
    {"s2", "SendGrid"},
    {"k1", "Mailchimp / Mandrill"},
    {"k2", "Mailchimp / Mandrill"},
    {"k3", "Mailchimp / Mandrill"},
    {"mandrill", "Mandrill"},
    {"mailo", "Mailgun"},
    {"mg", "Mailgun"},
    {"smtp", "Mailgun"},
    {"zoho", "Zoho Mail"},
    {"zmail", "Zoho Mail"},
    {"fm1", "Fastmail"},
    {"protonmail", "Proton Mail"},
    {"default", "generic (cPanel, Plesk, OpenDKIM)"},
    {"dkim", "generic"},
    {"mail", "generic"},
    {"s1024", "generic"},
    {"s2048", "generic"},
};

const size_t aa_nselectors = sizeof(aa_selectors) / sizeof(aa_selectors[0]);
