/*
 * doc.c - writes a request body holding test documents.
 *
 *	bench-doc TEMPLATE COUNT [SEQ0]
 *
 * Prints TEMPLATE with @DOCS@ replaced by COUNT test documents (about
 * 3 KB each, numbered from SEQ0, 1 by default), separated by commas,
 * each with the uuid "@UUID@" for the load script to fill in.
 */
#include <stdio.h>
#include <string.h>

#include "benchlib.h"

int
main(int argc, char **argv)
{
	struct bench_buf	 b;
	struct bench_doc	 d;
	const char		*at;
	long			 n, seq0 = 1, i;

	if (argc != 3 && argc != 4)
		bench_die("usage: bench-doc TEMPLATE COUNT [SEQ0]");
	if ((at = strstr(argv[1], "@DOCS@")) == NULL)
		bench_die("the template has no @DOCS@");
	n = bench_arg_long(argv[2], "COUNT");
	if (argc == 4)
		seq0 = bench_arg_long(argv[3], "SEQ0");

	bench_buf_init(&b, 64u << 20);
	bench_buf_add(&b, argv[1], (size_t)(at - argv[1]));
	for (i = 0; i < n; i++) {
		bench_doc_make((uint64_t)(seq0 + i), &d);
		snprintf(d.uuid, sizeof(d.uuid), "@UUID@");
		if (i > 0)
			bench_buf_add(&b, ",", 1);
		bench_doc_json(&d, &b);
	}
	bench_buf_add(&b, at + 6, strlen(at + 6));
	fwrite(b.data, 1, b.len, stdout);
	bench_buf_release(&b);
	return 0;
}
