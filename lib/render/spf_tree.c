/*
 * spf_tree.c — the SPF include tree for the text report: each branch
 * with what it costs of the 10 lookups, and the --ip results.  UTF-8 box
 * drawing only when the renderer asks for Unicode (a terminal); plain ASCII
 * otherwise, so logs and mail stay clean.
 */
#include "render/spf_tree.h"
#include "render/escape.h"
#include "render/wrap.h"
#include "report/facts.h"
#include "report/report.h"
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

static void
draw(FILE *out, const aa_spf_node *n, aa_buf *prefix, int last, int unicode)
{
	const char *branch = unicode ? (last ? "\342\224\224\342\224\200 " : "\342\224\234\342\224\200 ")
	                             : (last ? "`- " : "|- ");
	const char *cont = unicode ? (last ? "   " : "\342\224\202  ") : (last ? "   " : "|  ");
	size_t keep = prefix->len, i;
	char *name = aa_render_escape(n->name); /* from a record: any bytes */

	fprintf(out, "  %s%s%s%s", prefix->p ? prefix->p : "", branch,
	        n->via == AA_SPF_VIA_REDIRECT ? "redirect=" : "", name != NULL ? name : "?");
	free(name);
	if (n->state == AA_SPF_NODE_LIMIT) /* its cost is not known, only that it is at least 1 */
		fputs("  (not expanded)", out);
	else
		fprintf(out, "  (%u)", n->cost);
	if (n->state != AA_SPF_NODE_OK && n->state != AA_SPF_NODE_LIMIT)
		fprintf(out, "  [%s%s%s]", aa_spf_state_name(n->state), n->state_detail ? ": " : "",
		        n->state_detail ? n->state_detail : "");
	if (n->voids > 0 && n->nkids == 0)
		fprintf(out, "  (%u void)", n->voids);
	fputc('\n', out);
	aa_buf_puts(prefix, cont);
	for (i = 0; i < n->nkids; i++)
		draw(out, n->kids[i], prefix, i + 1 == n->nkids, unicode);
	prefix->len = keep;
	if (prefix->p != NULL)
		prefix->p[keep] = '\0';
}

void
aa_render_spf_tree(const aa_report *r, FILE *out, int unicode, int width)
{
	const aa_spf_facts *f = aa_report_facts(r, AA_AREA_SPF);
	const aa_spf_node *root;
	aa_buf prefix = {0};
	char *quoted;
	size_t i;

	if (f == NULL || (root = f->tree) == NULL || root->record == NULL)
		return;
	/* includes past the limit were not expanded: what they cost is unknown */
	fprintf(out, "\nSPF include tree (%s): %s%u of %d lookups", aa_spf_class_name(f->result),
	        f->unexpanded > 0 ? "at least " : "", root->cost, AA_SPF_MAX_LOOKUPS);
	if (f->unexpanded > 0)
		fprintf(out, " (%u not expanded)", f->unexpanded);
	if (root->voids > 0)
		fprintf(out, ", %u void", root->voids);
	/* the record wrapped on lines of its own keeps the tree narrow */
	fprintf(out, "\n  %s\n", root->name);
	quoted = aa_printf("\"%s\"", root->record);
	if (quoted != NULL)
		aa_render_wrap(out, width, 4, "", quoted);
	free(quoted);
	for (i = 0; i < root->nkids; i++)
		draw(out, root->kids[i], &prefix, i + 1 == root->nkids, unicode);
	for (i = 0; i < f->nips; i++)
		fprintf(out, "  --ip %s: %s%s%s\n", f->ips[i].ip, f->ips[i].result ? f->ips[i].result : "?",
		        f->ips[i].term ? " by " : "", f->ips[i].term ? f->ips[i].term : "");
	aa_buf_free(&prefix);
}
