/*
 * test_company.c - ИНН and КПП validation and applying a company card.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/xmalloc.h"
#include "domain/company.h"

static void
test_inn_ten_digits(void **state)
{
	(void)state;
	assert_true(company_inn_valid("7707083893"));
	assert_true(company_inn_valid("7830002293"));
	/* The same numbers with a wrong check digit. */
	assert_false(company_inn_valid("7707083894"));
	assert_false(company_inn_valid("7830002290"));
	/* Shape. */
	assert_false(company_inn_valid(""));
	assert_false(company_inn_valid("770708389"));
	assert_false(company_inn_valid("77070838931"));
	assert_false(company_inn_valid("77O7083893"));
	assert_false(company_inn_valid(" 7707083893"));
	assert_false(company_inn_valid(NULL));
}

static void
test_inn_twelve_digits(void **state)
{
	(void)state;
	assert_true(company_inn_valid("500100732259"));
	/* Either check digit wrong. */
	assert_false(company_inn_valid("500100732269"));
	assert_false(company_inn_valid("500100732258"));
	assert_false(company_inn_valid("5001007322590"));
}

static void
test_kpp(void **state)
{
	(void)state;
	assert_true(company_kpp_valid("773601001"));
	assert_true(company_kpp_valid("7736AB001"));
	assert_false(company_kpp_valid("77360100"));
	assert_false(company_kpp_valid("7736010011"));
	assert_false(company_kpp_valid("A73601001"));
	assert_false(company_kpp_valid("7736ab001"));
	assert_false(company_kpp_valid("77360100A"));
	assert_false(company_kpp_valid(NULL));
}

/* A company as the store would hand it out. */
static void
company_fill(struct company *co)
{
	company_init(co);
	co->name = xstrdup("ООО Ромашка");
	co->inn = xstrdup("7707083893");
	co->kpp = xstrdup("773601001");
	co->address = xstrdup("");
	co->phone = xstrdup("");
}

static void
test_card_apply(void **state)
{
	struct company		co;
	struct company_card	card = { .phone = "+7 (495) 123-45-67" };
	struct err		e;

	(void)state;
	company_fill(&co);
	assert_int_equal(company_card_apply(&co, &card, &e), 0);
	assert_string_equal(co.phone, "+7 (495) 123-45-67");
	assert_string_equal(co.name, "ООО Ромашка");

	/* A 12-digit ИНН keeps no КПП: refused, nothing changed. */
	memset(&card, 0, sizeof(card));
	card.inn = "500100732259";
	card.name = "Другое имя";
	assert_int_equal(company_card_apply(&co, &card, &e), -1);
	assert_string_equal(e.id, "kpp_invalid");
	assert_string_equal(co.inn, "7707083893");
	assert_string_equal(co.name, "ООО Ромашка");

	card.kpp = "";
	assert_int_equal(company_card_apply(&co, &card, &e), 0);
	assert_string_equal(co.inn, "500100732259");
	assert_string_equal(co.kpp, "");
	company_release(&co);
}

static void
test_card_refuses_bad_text(void **state)
{
	struct company		co;
	struct company_card	card = { .name = "   " };
	struct err		e;
	char			long_name[700];

	(void)state;
	company_fill(&co);
	assert_int_equal(company_card_apply(&co, &card, &e), -1);
	assert_string_equal(e.field, "name");

	memset(long_name, 'x', 301);
	long_name[301] = '\0';
	card.name = long_name;
	assert_int_equal(company_card_apply(&co, &card, &e), -1);

	/* 300 Cyrillic letters are 600 bytes but within the limit. */
	memset(long_name, 0, sizeof(long_name));
	for (int i = 0; i < 300; i++)
		memcpy(long_name + 2 * i, "Я", 2);
	assert_int_equal(company_card_apply(&co, &card, &e), 0);

	card.name = NULL;
	card.phone = "call me";
	assert_int_equal(company_card_apply(&co, &card, &e), -1);
	assert_string_equal(e.id, "phone_invalid");
	card.phone = NULL;
	card.address = "line\nbreak";
	assert_int_equal(company_card_apply(&co, &card, &e), -1);
	assert_string_equal(e.id, "address_invalid");
	company_release(&co);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inn_ten_digits),
		cmocka_unit_test(test_inn_twelve_digits),
		cmocka_unit_test(test_kpp),
		cmocka_unit_test(test_card_apply),
		cmocka_unit_test(test_card_refuses_bad_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
