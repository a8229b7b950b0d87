/* test_people.c - unit tests of bot/domain/people/people.c: importing the demo file,
 * re-import, every validation rule with its message, all-or-nothing, and
 * the CSV dialects (quotes, BOM, semicolons, CRLF). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "bot/base/bb.h"
#include "bot/base/cal.h"
#include "bot/domain/people/people.h"
#include "bot/domain/people/people_nip.h"
#include "store/store.h"
#include "tests/lib/fixture.h"

struct fx {
    TFX_STORE_FIELDS;
};

TFX_STORE_FIXTURE(fx, setup, teardown)

static int64_t count(struct store *st)
{
    int64_t n = -1;
    assert_int_equal(store_person_count(st, &n), BB_OK);
    return n;
}

static int import(struct store *st, const char *csv, struct people_import_report *rep)
{
    return people_import_mem(st, csv, strlen(csv), rep);
}

static void dump(const struct people_import_report *rep)
{
    for (int i = 0; i < rep->nerrors && i < PEOPLE_MAX_ERRORS; i++)
        printf("  error: %s\n", rep->errors[i]);
}

/* The import fails, changes nothing, and one of the errors is exactly msg. */
static void expect_error(struct store *st, const char *csv, const char *msg)
{
    struct people_import_report rep;
    int64_t before = count(st);
    int rc = import(st, csv, &rep), seen = 0;
    if (rc != BB_EINVAL)
        dump(&rep);
    assert_int_equal(rc, BB_EINVAL);
    assert_true(rep.nerrors > 0);
    for (int i = 0; i < rep.nerrors && i < PEOPLE_MAX_ERRORS; i++)
        if (strcmp(rep.errors[i], msg) == 0)
            seen = 1;
    if (!seen) {
        printf("expected: %s\n", msg);
        dump(&rep);
    }
    assert_true(seen);
    assert_int_equal(rep.created + rep.updated, 0);
    assert_int_equal(count(st), before);
}

static void test_demo_file(void **state)
{
    struct fx *f = *state;
    struct people_import_report rep;
    struct store_person p;
    int rc = people_import_csv(f->st, "config/demo-people.csv", &rep);
    if (rc)
        dump(&rep);
    assert_int_equal(rc, BB_OK);
    assert_int_equal(rep.rows, 12);
    assert_int_equal(rep.created, 12);
    assert_int_equal(rep.updated, 0);
    assert_int_equal(count(f->st), 12);
    assert_int_equal(store_person_by_nip(f->st, "198501012010012001", &p), BB_OK);
    assert_string_equal(p.name, "Ayu Lestari");
    assert_string_equal(p.role, "employee");
    assert_string_equal(p.lang, "id");
    assert_string_equal(p.tz, "Asia/Jakarta");
    assert_string_equal(p.phone, "6281234567801");
    assert_string_equal(p.supervisor_nip, "197803032005032003");
    assert_string_equal(p.strengths, "analisis data, penulisan laporan");
    assert_int_equal(store_person_by_nip(f->st, "199002022015021002", &p), BB_OK);
    assert_string_equal(p.name, "Budi Santoso");
    assert_string_equal(p.lang, "en");
    assert_int_equal(store_person_by_nip(f->st, "197803032005032003", &p), BB_OK);
    assert_string_equal(p.role, "hr");
    assert_int_equal(store_person_by_nip(f->st, "198208082008011006", &p), BB_OK);
    assert_string_equal(p.tz, "Asia/Makassar");
    assert_int_equal(store_person_by_nip(f->st, "198011112006042007", &p), BB_OK);
    assert_string_equal(p.tz, "Asia/Jayapura");
    /* re-import: all updated, no duplicates */
    assert_int_equal(people_import_csv(f->st, "config/demo-people.csv", &rep), BB_OK);
    assert_int_equal(rep.created, 0);
    assert_int_equal(rep.updated, 12);
    assert_int_equal(count(f->st), 12);
    assert_int_equal(people_import_csv(f->st, "/nonexistent/people.csv", &rep), BB_EIO);
    assert_non_null(strstr(rep.errors[0], "cannot open"));
}

static void test_reimport_updates(void **state)
{
    struct fx *f = *state;
    struct people_import_report rep;
    struct store_person p;
    assert_int_equal(import(f->st,
                            "nip,name,unit,role,position\n"
                            "198501012010011101,Ayu,Biro SDM,employee,Analis\n"
                            "198501012010011102,Budi,Bappeda,mentor,\n",
                            &rep),
                     BB_OK);
    assert_int_equal(rep.created, 2);
    /* header names in any order and any case; an absent column keeps its value */
    assert_int_equal(import(f->st,
                            "ROLE,Unit,NIP,Name,Language\n"
                            "mentor,Inspektorat,198501012010011101,Ayu Lestari,EN\n",
                            &rep),
                     BB_OK);
    assert_int_equal(rep.created, 0);
    assert_int_equal(rep.updated, 1);
    assert_int_equal(store_person_by_nip(f->st, "198501012010011101", &p), BB_OK);
    assert_string_equal(p.name, "Ayu Lestari");
    assert_string_equal(p.unit, "Inspektorat");
    assert_string_equal(p.role, "mentor");
    assert_string_equal(p.lang, "en");
    assert_string_equal(p.position, "Analis");
    assert_int_equal(count(f->st), 2);
    /* a role change to counsellor (any case), and back */
    assert_int_equal(
        import(f->st, "nip,name,unit,role\n198501012010011102,Budi,Bappeda,Counsellor\n", &rep),
        BB_OK);
    assert_int_equal(store_person_by_nip(f->st, "198501012010011102", &p), BB_OK);
    assert_string_equal(p.role, "counsellor");
    assert_int_equal(
        import(f->st, "nip,name,unit,role\n198501012010011102,Budi,Bappeda,mentor\n", &rep), BB_OK);
    assert_int_equal(store_person_by_nip(f->st, "198501012010011102", &p), BB_OK);
    assert_string_equal(p.role, "mentor");
}

/* The gender column (gender or jenis_kelamin) for the register: L or P in
 * any spelling HR uses, stored as "L"/"P"; empty on re-import keeps it;
 * a bad value is refused (test_validation). */
static void test_gender(void **state)
{
    struct fx *f = *state;
    struct people_import_report rep;
    struct store_person p;
    assert_int_equal(import(f->st,
                            "nip,name,unit,role,jenis_kelamin\n"
                            "198501012010011101,Ayu,Biro SDM,employee,perempuan\n"
                            "198501012010011102,Budi,Bappeda,mentor,l\n"
                            "198501012010011103,Kris,Bappeda,employee,\n",
                            &rep),
                     BB_OK);
    assert_int_equal(store_person_by_nip(f->st, "198501012010011101", &p), BB_OK);
    assert_string_equal(p.gender, "P");
    assert_int_equal(store_person_by_nip(f->st, "198501012010011102", &p), BB_OK);
    assert_string_equal(p.gender, "L");
    assert_int_equal(store_person_by_nip(f->st, "198501012010011103", &p), BB_OK);
    assert_string_equal(p.gender, "");
    /* an empty value keeps what is stored; "Female" under "gender" changes it */
    assert_int_equal(import(f->st,
                            "nip,name,unit,role,gender\n"
                            "198501012010011101,Ayu,Biro SDM,employee,\n"
                            "198501012010011102,Budi,Bappeda,mentor,Female\n",
                            &rep),
                     BB_OK);
    assert_int_equal(store_person_by_nip(f->st, "198501012010011101", &p), BB_OK);
    assert_string_equal(p.gender, "P");
    assert_int_equal(store_person_by_nip(f->st, "198501012010011102", &p), BB_OK);
    assert_string_equal(p.gender, "P");
}

/* The panggilan column: the name to address a person by, stored as given;
 * empty on re-import keeps it. */
static void test_panggilan(void **state)
{
    struct fx *f = *state;
    struct people_import_report rep;
    struct store_person p;
    assert_int_equal(
        import(f->st,
               "nip,name,unit,role,panggilan\n"
               "197001012000011001,\"Ir. Hj. Sri Rahayu, M.T.\",Biro SDM,employee,Yayuk\n"
               "197001012000011002,\"Dr. Budi Santoso, M.Si.\",Bappeda,mentor,\n",
               &rep),
        BB_OK);
    assert_int_equal(store_person_by_nip(f->st, "197001012000011001", &p), BB_OK);
    assert_string_equal(p.panggilan, "Yayuk");
    assert_string_equal(p.name, "Ir. Hj. Sri Rahayu, M.T.");
    assert_int_equal(store_person_by_nip(f->st, "197001012000011002", &p), BB_OK);
    assert_string_equal(p.panggilan, "");
    assert_int_equal(
        import(f->st, "nip,name,unit,role,panggilan\n197001012000011001,Sri,Biro SDM,employee,\n",
               &rep),
        BB_OK);
    assert_int_equal(store_person_by_nip(f->st, "197001012000011001", &p), BB_OK);
    assert_string_equal(p.panggilan, "Yayuk");
}

#define HDR "nip,name,unit,role\n"

/* A file the import refuses, and one of the errors it must give. */
struct bad_csv {
    const char *csv, *msg;
};

static void test_validation(void **state)
{
    struct fx *f = *state;
    struct people_import_report rep;
    /* one person already in the store, for supervisor checks */
    assert_int_equal(import(f->st, HDR "198501012010011900,Siti,Biro SDM,hr\n", &rep), BB_OK);

    static const struct bad_csv bad[] = {
        {HDR "12a4,Ayu,Biro SDM,employee\n",
         "line 2, column 1 (nip): NIP must be exactly 18 digits"},
        {HDR "1234567890123456789,Ayu,Biro SDM,employee\n",
         "line 2, column 1 (nip): NIP must be exactly 18 digits"},
        {HDR ",Ayu,Biro SDM,employee\n", "line 2, column 1 (nip): NIP must be exactly 18 digits"},
        {HDR "198501012010012001,Ayu,Biro "
             "SDM,employee\n198501012010011002,Budi,Bappeda,employee\n198501012010012001,Ayu,X,"
             "employee\n",
         "line 4, column 1 (nip): NIP 198501012010012001 is also on line 2"},
        {HDR "198501012010012001,  ,Biro SDM,employee\n", "line 2, column 2 (name): name is empty"},
        {HDR "198501012010012001,Ayu,,employee\n", "line 2, column 3 (unit): unit is empty"},
        {HDR "198501012010012001,Ayu,Biro SDM,boss\n",
         "line 2, column 4 (role): role must be employee, mentor, hr, admin or counsellor"},
        {"nip,name,unit,role,language\n198501012010012001,Ayu,Biro SDM,employee,fr\n",
         "line 2, column 5 (language): language must be id or en"},
        {"nip,name,unit,role,timezone\n198501012010012001,Ayu,Biro SDM,employee,Jakarta\n",
         "line 2, column 5 (timezone): time zone must be an IANA name such as "
         "Asia/Jakarta, or WIB, WITA, WIT"},
        {"nip,name,unit,role,phone\n198501012010012001,Ayu,Biro SDM,employee,12345\n",
         "line 2, column 5 (phone): phone must be 8 to 15 digits with the country code "
         "(62...) or start with 0"},
        {"nip,name,unit,role,phone\n198501012010012001,Ayu,Biro SDM,employee,0812-abc\n",
         "line 2, column 5 (phone): phone must be 8 to 15 digits with the country code "
         "(62...) or start with 0"},
        {"nip,name,unit,role,email\n198501012010012001,Ayu,Biro SDM,employee,ayu-at-example\n",
         "line 2, column 5 (email): not an e-mail address"},
        {"nip,name,unit,role,supervisor_nip\n198501012010012001,Ayu,Biro "
         "SDM,employee,198501012010012001\n",
         "line 2, column 5 (supervisor_nip): a person cannot be their own supervisor"},
        {"nip,name,unit,role,supervisor_nip\n198501012010012001,Ayu,Biro "
         "SDM,employee,198501012010011777\n",
         "line 2, column 5 (supervisor_nip): no person with NIP 198501012010011777 in this file or "
         "already imported"},
        {"nip,name,unit,role,supervisor_nip\n198501012010012001,Ayu,Biro SDM,employee,x\n",
         "line 2, column 5 (supervisor_nip): supervisor NIP must be 18 digits"},
        {HDR "198501012010012001,Ayu \xC3\x28,Biro SDM,employee\n",
         "line 2, column 2 (name): not valid UTF-8"},
        {HDR "198501012010012001,Ayu\x01,Biro SDM,employee\n",
         "line 2, column 2 (name): contains a control character"},
        {"nip,name,unit,role,colour\n198501012010012001,Ayu,Biro SDM,employee,red\n",
         "line 1, column 5 (colour): unknown column"},
        {"nip,name,role\n198501012010012001,Ayu,employee\n",
         "line 1: missing required column \"unit\""},
        {"nip,name,unit,role,name\n198501012010012001,Ayu,Biro SDM,employee,Ayu\n",
         "line 1, column 5 (name): column given twice"},
        {HDR "198501012010012001,Ayu,Biro SDM\n", "line 2: 3 fields, the header has 4"},
        {HDR "198501012010012001,\"Ayu,Biro SDM,employee\n",
         "line 3, column 2: quoted field opened on line 2 is never closed"},
        {HDR "198501012010012001,\"Ayu\"x,Biro SDM,employee\n",
         "line 2, column 2: unexpected text after a closing quote"},
        {"", "line 1: the file is empty (no header row)"},
        {"nip,name,unit,role,gender\n198501012010012001,Ayu,Biro SDM,employee,X\n",
         "line 2, column 5 (gender): gender must be L (laki-laki) or P (perempuan)"},
        {"nip,name,unit,role,gender,jenis_kelamin\n198501012010012001,Ayu,Biro SDM,employee,P,P\n",
         "line 1, column 6 (jenis_kelamin): column given twice"},
        {"nip,name,unit,role,panggilan\n1,Ayu,Biro SDM,employee,\"Ayu, Bu\"\n",
         "line 2, column 5 (panggilan): panggilan must be one line: the name to address the "
         "person by, e.g. Budi"},
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_error(f->st, bad[i].csv, bad[i].msg);
    {
        /* field length caps */
        char csv[600], name[300];
        memset(name, 'a', sizeof(name) - 1);
        name[sizeof(name) - 1] = '\0';
        bb_snprintf(csv, sizeof(csv), HDR "198501012010012001,%s,Biro SDM,employee\n", name);
        expect_error(f->st, csv, "line 2, column 2 (name): too long");
    }
    /* supervisors: later in the file, or already in the store, are fine */
    assert_int_equal(import(f->st,
                            "nip,name,unit,role,supervisor_nip\n"
                            "198501012010012001,Ayu,Biro SDM,employee,198501012010011002\n"
                            "198501012010011002,Budi,Biro SDM,mentor,198501012010011900\n",
                            &rep),
                     BB_OK);
    assert_int_equal(rep.created, 2);
}

static void test_limits(void **state)
{
    struct fx *f = *state;
    struct people_import_report rep;
    char *big = calloc((size_t)PEOPLE_MAX_BYTES + 1, 1);
    assert_non_null(big);
    assert_int_equal(people_import_mem(f->st, big, (size_t)PEOPLE_MAX_BYTES + 1, &rep), BB_ELIMIT);
    free(big);
    assert_int_equal(rep.nerrors, 1);
    /* many bad rows: all counted, 20 kept */
    struct bb_buf b;
    bb_buf_init(&b, 1 << 16);
    assert_int_equal(bb_buf_puts(&b, HDR), BB_OK);
    for (int i = 0; i < 30; i++)
        assert_int_equal(bb_buf_printf(&b, "198501012010011%03d,Ayu,Biro SDM,chief\n", i + 1),
                         BB_OK);
    assert_int_equal(people_import_mem(f->st, b.data, b.len, &rep), BB_EINVAL);
    assert_int_equal(rep.nerrors, 30);
    assert_string_equal(
        rep.errors[19],
        "line 21, column 4 (role): role must be employee, mentor, hr, admin or counsellor");
    assert_int_equal(rep.rows, 30);
    bb_buf_free(&b);
    assert_int_equal(count(f->st), 0);
}

static void test_bad_row_changes_nothing(void **state)
{
    struct fx *f = *state;
    struct people_import_report rep;
    struct store_person p;
    assert_int_equal(import(f->st, HDR "198501012010012001,Ayu,Biro SDM,employee\n", &rep), BB_OK);
    assert_int_equal(count(f->st), 1);
    assert_int_equal(import(f->st,
                            HDR "198501012010012001,Ayu Renamed,Biro SDM,employee\n"
                                "198501012010011002,Budi,Bappeda,employee\n"
                                "198501012010011003,Citra,Bappeda,janitor\n",
                            &rep),
                     BB_EINVAL);
    assert_int_equal(rep.nerrors, 1);
    assert_int_equal(count(f->st), 1);
    assert_int_equal(store_person_by_nip(f->st, "198501012010012001", &p), BB_OK);
    assert_string_equal(p.name, "Ayu");
}

/* Issue 14, finding 13: a header-only file (no rows) imports nothing and
 * reaches no undefined behaviour (qsort on NULL aborted the sanitizer
 * build). */
static void test_header_only(void **state)
{
    struct fx *f = *state;
    struct people_import_report rep;
    int64_t before = count(f->st);
    int rc = import(f->st, "nip,name,unit,role\n", &rep);
    if (rc != BB_OK)
        dump(&rep);
    assert_int_equal(rc, BB_OK);
    assert_int_equal(rep.rows, 0);
    assert_int_equal(rep.created + rep.updated, 0);
    assert_int_equal(count(f->st), before);
}

/* Issue 14, Info: an import by HR (not an admin) may neither give the
 * admin role (a new admin, or an existing person made one, HR included)
 * nor take it; nothing changes. Keeping an admin an admin is fine, and an
 * admin may do both. */
static void test_admin_role_by_hr(void **state)
{
    struct fx *f = *state;
    struct people_import_report rep;
    struct store_person p;
    const char *base = "nip,name,unit,role\n"
                       "199001012020011001,Hana HR,Biro SDM,hr\n"
                       "199001012020011002,Adi Admin,Biro SDM,admin\n";
    assert_int_equal(import(f->st, base, &rep), BB_OK);
    static const struct {
        const char *csv, *err;
    } refused[] = {
        {"nip,name,unit,role\n199001012020011001,Hana HR,Biro SDM,admin\n",
         "line 2, column 4 (role): only an admin may give the admin role"},
        {"nip,name,unit,role\n199001012020011003,Baru,Biro SDM,admin\n",
         "line 2, column 4 (role): only an admin may give the admin role"},
        {"nip,name,unit,role\n199001012020011002,Adi Admin,Biro SDM,employee\n",
         "line 2, column 4 (role): only an admin may take the admin role from a person"},
    };
    for (size_t i = 0; i < BB_ARRAY_LEN(refused); i++) {
        int64_t before = count(f->st);
        int rc = people_import_mem_as(f->st, refused[i].csv, strlen(refused[i].csv), 0, &rep);
        if (rc != BB_EINVAL || rep.nerrors != 1 || strcmp(rep.errors[0], refused[i].err) != 0) {
            printf("case %zu\n", i);
            dump(&rep);
        }
        assert_int_equal(rc, BB_EINVAL);
        assert_int_equal(rep.nerrors, 1);
        assert_string_equal(rep.errors[0], refused[i].err);
        assert_int_equal(count(f->st), before);
    }
    assert_int_equal(store_person_by_nip(f->st, "199001012020011001", &p), BB_OK);
    assert_string_equal(p.role, "hr");
    assert_int_equal(store_person_by_nip(f->st, "199001012020011002", &p), BB_OK);
    assert_string_equal(p.role, "admin");
    /* HR re-importing the list as it is (the admin stays admin): fine */
    assert_int_equal(people_import_mem_as(f->st, base, strlen(base), 0, &rep), BB_OK);
    /* an admin may give the role */
    const char *up = "nip,name,unit,role\n199001012020011001,Hana HR,Biro SDM,admin\n";
    assert_int_equal(people_import_mem_as(f->st, up, strlen(up), 1, &rep), BB_OK);
    assert_int_equal(store_person_by_nip(f->st, "199001012020011001", &p), BB_OK);
    assert_string_equal(p.role, "admin");
}

static void test_dialects(void **state)
{
    struct fx *f = *state;
    struct people_import_report rep;
    struct store_person p;
    /* quotes with commas, newlines and "" escapes; CRLF; blank lines skipped */
    int rc = import(f->st,
                    "nip,name,unit,role,position,strengths\r\n"
                    "198501012010012001,\"Lestari, Ayu\",\"Biro SDM\",employee,\"Kepala\r\nSubbag "
                    "\"\"Data\"\"\","
                    "\"menulis,\nberbicara ,, analisis\"\r\n"
                    "\r\n"
                    "198501012010011002,Budi,Bappeda,employee,,\r\n",
                    &rep);
    if (rc)
        dump(&rep);
    assert_int_equal(rc, BB_OK);
    assert_int_equal(rep.rows, 2);
    assert_int_equal(store_person_by_nip(f->st, "198501012010012001", &p), BB_OK);
    assert_string_equal(p.name, "Lestari, Ayu");
    assert_string_equal(p.position, "Kepala Subbag \"Data\"");
    assert_string_equal(p.strengths, "menulis, berbicara, analisis");
    /* a line number after a quoted newline counts the real line */
    expect_error(f->st,
                 "nip,name,unit,role,position\n"
                 "198501012010011003,Citra,Bappeda,employee,\"a\nb\"\n"
                 "198501012010011004,Dodi,Bappeda,kepala,\n",
                 "line 4, column 4 (role): role must be employee, mentor, hr, admin or counsellor");
    /* UTF-8 BOM and ';' separator, commas inside fields left alone */
    rc = import(f->st,
                "\xEF\xBB\xBFNIP;Name;Unit;Role;Timezone;Phone;Language\n"
                "198501012010011005;Wayan Darma;Bappeda;mentor;WITA;+62 812-3456-7890;en\n"
                "198501012010011006;Yohana, S.E.;Inspektorat;employee;wit;0812 3456 7891;\n",
                &rep);
    if (rc)
        dump(&rep);
    assert_int_equal(rc, BB_OK);
    assert_int_equal(store_person_by_nip(f->st, "198501012010011005", &p), BB_OK);
    assert_string_equal(p.tz, "Asia/Makassar");
    assert_string_equal(p.phone, "6281234567890");
    assert_string_equal(p.lang, "en");
    assert_int_equal(store_person_by_nip(f->st, "198501012010011006", &p), BB_OK);
    assert_string_equal(p.name, "Yohana, S.E.");
    assert_string_equal(p.tz, "Asia/Jayapura");
    assert_string_equal(p.phone, "6281234567891");
    assert_string_equal(p.lang, "id");
    assert_int_equal(store_person_by_phone(f->st, "6281234567891", &p), BB_OK);
    assert_string_equal(p.nip, "198501012010011006");
}

static void test_file_import(void **state)
{
    struct fx *f = *state;
    struct people_import_report rep;
    char csvpath[160];
    FILE *fp;
    bb_snprintf(csvpath, sizeof(csvpath), "%s.csv", f->path);
    fp = fopen(csvpath, "wb");
    assert_non_null(fp);
    fputs("\xEF\xBB\xBFnip,name,unit,role\r\n198501012010011007,Eka,Dinas Kominfo,admin\r\n", fp);
    fclose(fp);
    assert_int_equal(people_import_csv(f->st, csvpath, &rep), BB_OK);
    assert_int_equal(rep.created, 1);
}

/* NIPs picked by hand, judged on 2026-12-07: each rule of people_nip.h on
 * both sides of its edge. */
static void test_nip_rules(void)
{
    int64_t today = cal_days_from_civil(2026, 12, 7);
    static const struct {
        const char *nip, *code; /* code NULL: valid */
    } cases[] = {
        {"198501012010012001", NULL},          /* Ayu: 41, appointed at 25 */
        {"199002022015021002", NULL},          /* gender 2 */
        {"200912072026121001", NULL},          /* 17 today, appointed this month */
        {"195612082000011001", NULL},          /* 70, 71 tomorrow */
        {"19850101201001100", "nip.format"},   /* 17 digits */
        {"1985010120100120011", "nip.format"}, /* 19 digits */
        {"19850101201001100a", "nip.format"},
        {"", "nip.format"},
        {"198502302010011001", "nip.birth"},           /* 30 February */
        {"198513012010011001", "nip.birth"},           /* month 13 */
        {"200012292010011001", "nip.appointed_early"}, /* a real date; appointed at 9 */
        {"199002292015011001", "nip.birth"},           /* 1990 was not a leap year */
        {"200912082026121001", "nip.age"},             /* 17 tomorrow */
        {"195512072000011001", "nip.age"},             /* 71 today */
        {"198501012010001001", "nip.appointed"},       /* month 00 */
        {"198501012010131001", "nip.appointed"},       /* month 13 */
        {"198506152002051001", "nip.appointed_early"}, /* 16 years 11 months */
        {"198506152002061001", NULL},                  /* the month of the 17th birthday */
        {"198501012027011001", "nip.appointed_future"},
        {"198501012010013001", "nip.gender"},
        {"198501012010010001", "nip.gender"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const char *code = "unset", *why = people_nip_problem(cases[i].nip, today, &code);
        const char *want = cases[i].code;
        if (!want) {
            if (why)
                printf("%s: %s\n", cases[i].nip, why);
            assert_null(why);
        } else {
            if (!why || strcmp(code, want) != 0)
                printf("%s: want %s, got %s\n", cases[i].nip, want, why ? code : "valid");
            assert_non_null(why);
            assert_string_equal(code, want);
        }
    }
    assert_non_null(people_nip_problem(NULL, today, NULL));
}

static void test_nip(void **state)
{
    (void)state;
    test_nip_rules();
}

/* Time zones: names tzdata has, the three Indonesian ones, nothing else. */
static void test_tz_exists(void **state)
{
    char out[64];
    (void)state;
    assert_true(people_tz_exists("Asia/Jakarta", out, sizeof(out)));
    assert_string_equal(out, "Asia/Jakarta");
    assert_true(people_tz_exists("wita", out, sizeof(out)));
    assert_string_equal(out, "Asia/Makassar");
    assert_true(people_tz_exists("Europe/Berlin", out, sizeof(out)));
    assert_false(people_tz_exists("Asia/Bandung", out, sizeof(out)));
    assert_false(people_tz_exists("Mars/Olympus_Mons", out, sizeof(out)));
    assert_false(people_tz_exists("", out, sizeof(out)));
    assert_false(people_tz_exists("../etc/passwd", out, sizeof(out)));
}

/* The import refuses a zone that looks right but does not exist, with
 * the row and column, and says where for the dashboard. */
static void test_tz_import(void **state)
{
    struct fx *f = *state;
    struct people_import_report rep;
    expect_error(f->st,
                 "nip,name,unit,role,timezone\n"
                 "198501012010012001,Ayu,Biro SDM,employee,WIB\n"
                 "198501012010011002,Budi,Biro SDM,employee,Asia/Bandung\n",
                 "line 3, column 5 (timezone): no such time zone (an IANA name such as "
                 "Asia/Jakarta, or WIB, WITA, WIT)");
    assert_int_equal(import(f->st,
                            "nip,name,unit,role,timezone\n"
                            "198501012010011002,Budi,Biro SDM,employee,Asia/Bandung\n",
                            &rep),
                     BB_EINVAL);
    assert_int_equal(rep.where[0].line, 2);
    assert_int_equal(rep.where[0].col, 5);
    assert_string_equal(rep.where[0].column, "timezone");
    assert_string_equal(rep.where[0].code, "timezone_unknown");
    assert_int_equal(import(f->st,
                            "nip,name,unit,role,timezone\n"
                            "198501012010011002,Budi,Biro SDM,employee,Asia/Jayapura\n"
                            "198501012010011003,Citra,Biro SDM,employee,Asia/Jayapura\n",
                            &rep),
                     BB_OK);
}

/* Phone numbers: not twice in the file (in any spelling), not one that
 * another person keeps; a number that moves from one person to another in
 * the same file is fine. */
static void test_dup_phones(void **state)
{
    struct fx *f = *state;
    struct people_import_report rep;
    struct store_person p;
    expect_error(f->st,
                 "nip,name,unit,role,phone\n"
                 "198501012010012001,Ayu,Biro SDM,employee,0812-3456-7890\n"
                 "198501012010011002,Budi,Biro SDM,employee,\n"
                 "198501012010011003,Citra,Biro SDM,employee,+62 812 3456 7890\n",
                 "line 4, column 5 (phone): phone number +6281234567890 is also on line 2");
    assert_int_equal(import(f->st,
                            "nip,name,unit,role,phone\n"
                            "198501012010012001,Ayu,Biro SDM,employee,081234567890\n",
                            &rep),
                     BB_OK);
    expect_error(f->st,
                 "nip,name,unit,role,phone\n"
                 "198501012010011002,Budi,Biro SDM,employee,6281234567890\n",
                 "line 2, column 5 (phone): phone number +6281234567890 already belongs to "
                 "Ayu (NIP 198501012010012001)");
    /* Ayu in the file with no phone keeps hers: still refused */
    expect_error(f->st,
                 "nip,name,unit,role,phone\n"
                 "198501012010012001,Ayu,Biro SDM,employee,\n"
                 "198501012010011002,Budi,Biro SDM,employee,6281234567890\n",
                 "line 3, column 5 (phone): phone number +6281234567890 already belongs to "
                 "Ayu (NIP 198501012010012001)");
    assert_int_equal(import(f->st,
                            "nip,name,unit,role,phone\n"
                            "198501012010011002,Budi,Biro SDM,employee,6281234567890\n",
                            &rep),
                     BB_EINVAL);
    assert_string_equal(rep.where[0].code, "phone.duplicate_db");
    assert_string_equal(rep.where[0].arg, "198501012010012001");
    /* the same person again with the same number is fine; so is Ayu giving
     * hers to Budi and taking another in the same file */
    assert_int_equal(import(f->st,
                            "nip,name,unit,role,phone\n"
                            "198501012010012001,Ayu,Biro SDM,employee,+6281234567890\n",
                            &rep),
                     BB_OK);
    assert_int_equal(import(f->st,
                            "nip,name,unit,role,phone\n"
                            "198501012010011002,Budi,Biro SDM,employee,6281234567890\n"
                            "198501012010012001,Ayu,Biro SDM,employee,6281234567899\n",
                            &rep),
                     BB_OK);
    assert_int_equal(store_person_by_phone(f->st, "6281234567890", &p), BB_OK);
    assert_string_equal(p.nip, "198501012010011002");
}

/* A 17-digit NIP (the example) is refused with row and column. */
static void test_nip_import(void **state)
{
    struct fx *f = *state;
    struct people_import_report rep;
    expect_error(f->st, HDR "19850101201001100,Ayu,Biro SDM,employee\n",
                 "line 2, column 1 (nip): NIP must be exactly 18 digits");
    expect_error(f->st, "unit,nip,name,role\nBiro SDM,198501012010013001,Ayu,employee\n",
                 "line 2, column 2 (nip): digit 15 of the NIP (gender) must be 1 or 2");
    assert_int_equal(import(f->st, HDR "198502302010011001,Ayu,Biro SDM,employee\n", &rep),
                     BB_EINVAL);
    assert_int_equal(rep.where[0].line, 2);
    assert_int_equal(rep.where[0].col, 1);
    assert_string_equal(rep.where[0].code, "nip.birth");
}

TFX_MAIN(TFX_TEST(test_demo_file), TFX_TEST(test_reimport_updates), TFX_TEST(test_gender),
         TFX_TEST(test_panggilan), TFX_TEST(test_validation), TFX_TEST(test_limits),
         TFX_TEST(test_bad_row_changes_nothing), TFX_TEST(test_header_only),
         TFX_TEST(test_dialects), TFX_TEST(test_file_import), TFX_TEST(test_admin_role_by_hr),
         TFX_TEST(test_nip), TFX_TEST(test_tz_exists), TFX_TEST(test_tz_import),
         TFX_TEST(test_dup_phones), TFX_TEST(test_nip_import))
