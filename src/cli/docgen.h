/*
 * docgen.h - realistic documents and catalogues for `tobmen device
 * generate` and `tobmen demo`.
 *
 * A small deterministic generator: the same seed gives the same
 * documents, so demos and load tests can be repeated.  Every document it
 * makes passes domain/document.h's checks (integer kopecks and
 * thousandths, amounts rounded half up, totals that add up).  Objects are
 * new jansson references; the caller drops them.  Not thread safe: one
 * generator per thread.
 */
#ifndef TOBMEN_CLI_DOCGEN_H
#define TOBMEN_CLI_DOCGEN_H

#include <stdint.h>

#include <jansson.h>

struct docgen {
	uint64_t	state;
	int		outlets;	/* how many distinct outlets to use */
};

/* Seeds g; outlets (1 to 500) is the size of the agent's route. */
void	docgen_init(struct docgen *g, uint64_t seed, int outlets);

/* A random number in [0, n). */
uint32_t docgen_below(struct docgen *g, uint32_t n);

/* A fresh version 4 uuid from the generator into out (37 bytes). */
void	docgen_uuid(struct docgen *g, char out[37]);

/*
 * One document of kind (order, sale, return, payment, visit; NULL picks
 * one as an agent's day mixes them) dated at_ms (Unix ms), by agent,
 * numbered from prefix ("З-000123").
 */
json_t	*docgen_document(struct docgen *g, const char *kind, int64_t at_ms,
	    const char *agent, const char *prefix);

/* The supplier's catalogue as a package payload: {"items": [{code, name,
 * unit, price}]}, prices in kopecks. */
json_t	*docgen_catalogue(void);

/* A price list derived from the catalogue, each price moved by up to
 * ±5 % (integer kopecks). */
json_t	*docgen_prices(struct docgen *g);

/* A person's name for an agent, one of a fixed list. */
const char *docgen_agent(struct docgen *g);

#endif
