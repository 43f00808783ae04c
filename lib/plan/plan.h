/*
 * plan.h — which (name, type) queries an audit needs, per area.  Each plan
 * asks its first queries when the audit starts and follows answers up
 * (SPF closure, MX host addresses, DKIM CNAME targets, DMARC fallback and
 * report authorisation, PTR and DNSBL names).  Plans never judge.
 */
#ifndef AA_PLAN_H
#define AA_PLAN_H

#include "plan/want.h"

void aa_plan_base(aa_audit *a);
void aa_plan_spf(aa_audit *a);
void aa_plan_dkim(aa_audit *a);
void aa_plan_dmarc(aa_audit *a);
void aa_plan_mx(aa_audit *a);
void aa_plan_envelope(aa_audit *a);
void aa_plan_ip(aa_audit *a);
void aa_plan_transport(aa_audit *a);

#endif
