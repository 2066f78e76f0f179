/*
 * docgen.c - a seeded generator of orders, sales, returns, payments and
 * visits over a fixed catalogue and a route of outlets.
 *
 * The numbers follow the document rules exactly (domain/document.h): a
 * line's amount is qty x price / 1000 rounded half up, the total their
 * sum.  splitmix64 drives every choice.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/docgen.h"

struct docgen_product {
	const char	*code;
	const char	*name;
	const char	*unit;
	int64_t		 price;		/* kopecks */
	bool		 weighed;	/* sold by the kilogram */
};

static const struct docgen_product docgen_products[] = {
	{ "000101", "Чай чёрный «Цейлон» 100 пак.", "шт", 28990, false },
	{ "000102", "Чай зелёный «Сенча» 25 пак.", "шт", 12450, false },
	{ "000103", "Кофе молотый «Арабика» 250 г", "шт", 45900, false },
	{ "000104", "Кофе растворимый 95 г", "шт", 31990, false },
	{ "000105", "Какао-порошок 100 г", "шт", 9990, false },
	{ "000201", "Печенье овсяное 300 г", "шт", 8990, false },
	{ "000202", "Пряники медовые", "кг", 21900, true },
	{ "000203", "Вафли «Лимонные» 200 г", "шт", 6490, false },
	{ "000204", "Зефир ванильный", "кг", 38900, true },
	{ "000205", "Конфеты шоколадные ассорти", "кг", 74900, true },
	{ "000301", "Сок яблочный 1 л", "шт", 11990, false },
	{ "000302", "Сок апельсиновый 1 л", "шт", 13490, false },
	{ "000303", "Вода минеральная 1,5 л", "шт", 5990, false },
	{ "000304", "Морс клюквенный 1 л", "шт", 10990, false },
	{ "000401", "Макароны «Перья» 450 г", "шт", 7990, false },
	{ "000402", "Рис круглозёрный 900 г", "шт", 11490, false },
	{ "000403", "Гречка ядрица 900 г", "шт", 9990, false },
	{ "000404", "Сахар-песок", "кг", 8490, true },
	{ "000501", "Масло подсолнечное 1 л", "шт", 14990, false },
	{ "000502", "Майонез «Провансаль» 400 г", "шт", 10990, false },
	{ "000503", "Кетчуп томатный 350 г", "шт", 9490, false },
	{ "000601", "Шоколад молочный 90 г", "шт", 8990, false },
	{ "000602", "Шоколад горький 90 г", "шт", 10490, false },
	{ "000603", "Батончик ореховый 50 г", "шт", 4990, false },
};

#define DOCGEN_NPRODUCTS \
	(sizeof(docgen_products) / sizeof(docgen_products[0]))

static const char *const docgen_agents[] = {
	"Иванов Сергей", "Петрова Ольга", "Сидоров Алексей",
	"Кузнецова Марина", "Смирнов Дмитрий", "Попова Екатерина",
	"Волков Андрей", "Соколова Наталья", "Лебедев Игорь",
	"Новикова Татьяна", "Морозов Павел", "Фёдорова Анна",
};

static const char *const docgen_shops[] = {
	"Магазин «Ромашка»", "Продукты «У дома»", "Минимаркет «Берёзка»",
	"Гастроном «Центральный»", "Магазин «Колосок»", "Лавка «Теремок»",
	"Универсам «Радуга»", "Киоск «Пресса и чай»", "Магазин «Огонёк»",
	"Продукты 24 часа", "Магазин «Соседи»", "Кафе «Встреча»",
};

static const char *const docgen_streets[] = {
	"ул. Ленина", "пр. Мира", "ул. Садовая", "ул. Гагарина",
	"Комсомольский пр.", "ул. Советская", "ул. Пушкина", "наб. Речная",
};

static const char *const docgen_cities[] = {
	"Москва", "Тверь", "Рязань", "Тула", "Калуга", "Ярославль",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

/* splitmix64: the next 64 random bits. */
static uint64_t
docgen_next(struct docgen *g)
{
	uint64_t	z = (g->state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
docgen_init(struct docgen *g, uint64_t seed, int outlets)
{
	g->state = seed;
	g->outlets = outlets < 1 ? 1 : outlets > 500 ? 500 : outlets;
}

uint32_t
docgen_below(struct docgen *g, uint32_t n)
{
	return n == 0 ? 0 : (uint32_t)(docgen_next(g) % n);
}

void
docgen_uuid(struct docgen *g, char out[37])
{
	uint64_t	a = docgen_next(g), b = docgen_next(g);

	snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx",
	    (unsigned)(a >> 32), (unsigned)(a >> 16) & 0xffff,
	    (unsigned)a & 0xfff, (unsigned)(0x8000 | ((b >> 48) & 0x3fff)),
	    (unsigned long long)(b & 0xffffffffffffULL));
}

const char *
docgen_agent(struct docgen *g)
{
	return docgen_agents[docgen_below(g, NELEM(docgen_agents))];
}

/* Writes a 10-digit ИНН with a valid check digit made from n. */
static void
docgen_inn(uint32_t n, char out[11])
{
	static const int	w[] = { 2, 4, 10, 3, 5, 9, 4, 6, 8 };
	int			i, sum = 0;

	snprintf(out, 11, "77%07u", n % 10000000u);
	for (i = 0; i < 9; i++)
		sum += w[i] * (out[i] - '0');
	out[9] = (char)('0' + sum % 11 % 10);
	out[10] = '\0';
}

/* Outlet number i of the route. */
static json_t *
docgen_outlet(int i)
{
	char	code[32], name[160], addr[200], inn[16];

	snprintf(code, sizeof(code), "ТТ-%05d", 1000 + i);
	snprintf(name, sizeof(name), "%s №%d",
	    docgen_shops[(size_t)i % NELEM(docgen_shops)], 1 + i / 12);
	snprintf(addr, sizeof(addr), "г. %s, %s, д. %d",
	    docgen_cities[(size_t)i % NELEM(docgen_cities)],
	    docgen_streets[(size_t)(i / 3) % NELEM(docgen_streets)],
	    3 + (i * 7) % 120);
	docgen_inn((uint32_t)(i * 7919 + 13), inn);
	return json_pack("{s:s, s:s, s:s, s:s}", "code", code, "name", name,
	    "inn", inn, "address", addr);
}

/* A line of product p; *amount gets its amount. */
static json_t *
docgen_line(struct docgen *g, const struct docgen_product *p,
    int64_t *amount)
{
	int64_t	qty;

	if (p->weighed)
		qty = 250 + (int64_t)docgen_below(g, 4750);	/* 0.25-5 kg */
	else
		qty = 1000 * (1 + (int64_t)docgen_below(g, 24));
	*amount = (qty * p->price + 500) / 1000;
	return json_pack("{s:s, s:s, s:I, s:I, s:I}", "product_code",
	    p->code, "name", p->name, "qty", (json_int_t)qty,
	    "price", (json_int_t)p->price, "amount", (json_int_t)*amount);
}

/* Lines for a trade document; *total gets their sum. */
static json_t *
docgen_lines(struct docgen *g, int64_t *total)
{
	json_t	*lines = json_array();
	size_t	 n = 1 + docgen_below(g, 8), i, start;
	int64_t	 amount;

	*total = 0;
	start = docgen_below(g, DOCGEN_NPRODUCTS);
	for (i = 0; i < n; i++) {
		json_array_append_new(lines, docgen_line(g,
		    &docgen_products[(start + i * 5) % DOCGEN_NPRODUCTS],
		    &amount));
		*total += amount;
	}
	return lines;
}

/* Picks a kind as an agent's day mixes them. */
static const char *
docgen_kind(struct docgen *g)
{
	uint32_t	r = docgen_below(g, 100);

	if (r < 45)
		return "order";
	if (r < 75)
		return "sale";
	if (r < 82)
		return "return";
	if (r < 92)
		return "payment";
	return "visit";
}

/* Formats at_ms as a Moscow local time with its zone. */
static void
docgen_date(int64_t at_ms, char out[40])
{
	time_t		t = (time_t)(at_ms / 1000) + 3 * 3600;
	struct tm	tm;

	gmtime_r(&t, &tm);
	strftime(out, 40, "%Y-%m-%dT%H:%M:%S+03:00", &tm);
}

json_t *
docgen_document(struct docgen *g, const char *kind, int64_t at_ms,
    const char *agent, const char *prefix)
{
	char	 uuid[37], date[40], number[64];
	int	 outlet = (int)docgen_below(g, (uint32_t)g->outlets);
	int64_t	 total = 0;
	json_t	*lines, *d;

	if (kind == NULL)
		kind = docgen_kind(g);
	docgen_uuid(g, uuid);
	docgen_date(at_ms, date);
	snprintf(number, sizeof(number), "%s-%06u", prefix,
	    docgen_below(g, 1000000));
	if (strcmp(kind, "payment") == 0) {
		lines = json_array();
		total = 100000 + 100 * (int64_t)docgen_below(g, 50000);
	} else if (strcmp(kind, "visit") == 0) {
		lines = json_array();
	} else {
		lines = docgen_lines(g, &total);
	}
	d = json_pack("{s:s, s:s, s:s, s:s, s:o, s:s, s:{s:f, s:f}, s:o, "
	    "s:I, s:s}", "uuid", uuid, "kind", kind, "number", number,
	    "date", date, "outlet", docgen_outlet(outlet), "agent", agent,
	    "gps", "lat", 55.5 + docgen_below(g, 500000) / 1e6,
	    "lon", 37.3 + docgen_below(g, 600000) / 1e6,
	    "lines", lines, "total", (json_int_t)total,
	    "comment", docgen_below(g, 10) == 0 ? "Доставить до обеда" : "");
	return d;
}

/* One catalogue entry at price. */
static json_t *
docgen_item(const struct docgen_product *p, int64_t price)
{
	return json_pack("{s:s, s:s, s:s, s:I}", "code", p->code, "name",
	    p->name, "unit", p->unit, "price", (json_int_t)price);
}

json_t *
docgen_catalogue(void)
{
	json_t	*items = json_array();
	size_t	 i;

	for (i = 0; i < DOCGEN_NPRODUCTS; i++)
		json_array_append_new(items, docgen_item(&docgen_products[i],
		    docgen_products[i].price));
	return json_pack("{s:o}", "items", items);
}

json_t *
docgen_prices(struct docgen *g)
{
	json_t	*items = json_array();
	int64_t	 p;
	size_t	 i;

	for (i = 0; i < DOCGEN_NPRODUCTS; i++) {
		p = docgen_products[i].price;
		p += p * ((int64_t)docgen_below(g, 101) - 50) / 1000;
		json_array_append_new(items, docgen_item(&docgen_products[i],
		    p));
	}
	return json_pack("{s:o}", "items", items);
}
