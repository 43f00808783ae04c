/*
 * headers.h — what a message's headers say: Authentication-Results,
 * Received-SPF, ARC-Authentication-Results, Received hops and their delays,
 * Return-Path, Microsoft's anti-spam headers; and the symptoms they show.
 */
#ifndef AUTHAUDIT_EXPLAIN_HEADERS_H
#define AUTHAUDIT_EXPLAIN_HEADERS_H

#include "explain/explain_int.h"

#include <gmime/gmime.h>

/* Reads msg's headers into x.  original: msg is the message a bounce
 * returned (its sender is the one to audit). */
aa_status aa_x_read_headers(aa_explain *x, GMimeMessage *msg, int original);
/* Notes a sender address: from_header non-zero for From:, else the
 * envelope sender (Return-Path).  The first of each kind stays. */
aa_status aa_x_set_sender(aa_explain *x, const char *addr, int from_header);
/* Adds the symptoms the results, fields and hops show (after reading). */
aa_status aa_x_symptoms_from_headers(aa_explain *x);

#endif
