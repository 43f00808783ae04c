/* selectors.c — common provider DKIM selectors (one table, easy to extend). */
#include "tables/selectors.h"

const aa_selector aa_selectors[] = {
    {"selector1", "Microsoft 365", 1},
    {"selector2", "Microsoft 365", 1},
    {"google", "Google Workspace", 1},
    {"amazonses", "Amazon SES", 0},
    {"s1", "SendGrid", 0},
    {"s2", "SendGrid", 0},
    {"k1", "Mailchimp / Mandrill", 0},
    {"k2", "Mailchimp / Mandrill", 0},
    {"k3", "Mailchimp / Mandrill", 0},
    {"mandrill", "Mandrill", 0},
    {"mailo", "Mailgun", 0},
    {"mg", "Mailgun", 0},
    {"smtp", "Mailgun", 0},
    {"zoho", "Zoho Mail", 0},
    {"zmail", "Zoho Mail", 0},
    {"fm1", "Fastmail", 0},
    {"protonmail", "Proton Mail", 0},
    {"default", "generic (cPanel, Plesk, OpenDKIM)", 0},
    {"dkim", "generic", 0},
    {"mail", "generic", 0},
    {"s1024", "generic", 0},
    {"s2048", "generic", 0},
};

const size_t aa_nselectors = sizeof(aa_selectors) / sizeof(aa_selectors[0]);
