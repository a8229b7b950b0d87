/*
 * sapaan.h - how the coach addresses a person in the formal register of
 * Bahasa Indonesia (docs/coaching.md, "Register"): "Bapak Andi", "Ibu Ayu",
 * or "Anda" when the gender is not known.
 *
 * The gender comes from HR's people CSV (column gender / jenis_kelamin, L
 * or P) and, when that is empty, from the NIP: an 18-digit NIP of a civil
 * servant is birth date (8 digits), TMT CPNS (6), gender (1: 1 = male,
 * 2 = female) and a sequence number (3) — Peraturan Kepala BKN Nomor 22
 * Tahun 2007 tentang Nomor Induk Pegawai Negeri Sipil. So digit 15.
 *
 * Pure functions on their arguments, any thread; except the register
 * (sapaan_set_casual), set once when the configuration is loaded.
 */
#ifndef SAPAAN_H
#define SAPAAN_H

#include <stddef.h>

/* 'L' (laki-laki), 'P' (perempuan) or 0 (unknown): the CSV's gender when
 * it is "L" or "P", else the NIP's digit 15 when the NIP is 18 digits. */
char sapaan_gender(const char *csv_gender, const char *nip);

/* A CSV gender value as stored: "L" for l, laki-laki, pria, m, male; "P"
 * for p, perempuan, wanita, f, female (any case); NULL otherwise. */
const char *sapaan_gender_norm(const char *v);

/* The name a person is called by: their `panggilan` (HR's people CSV,
 * "how to address": a nickname or the name they go by) when it is given,
 * else the first word of their full name that is not an academic or
 * religious title. Titles are the words that end in a full stop or carry
 * one inside ("Dr.", "Ir.", "S.E.", "M.Si."), a few written without one
 * ("Prof", "Dr", "Drs", "Ir", "H", "Hj"), and everything after the first
 * comma (post-nominal degrees: "Budi Santoso, M.Si."). So "Dr. Budi
 * Santoso, M.Si." is called "Budi". When every word is a title the first
 * word is kept as it is; "" for an empty name. */
void sapaan_called(const char *panggilan, const char *name, char *out, size_t n);

/* The address in a sentence: "Bapak <called>", "Ibu <called>", or "Anda"
 * when gender is 0 (or `called`, from sapaan_called, is empty). Every form
 * starts with a capital, so it reads right at a sentence's start and in
 * its middle. */
void sapaan_text(char gender, const char *called, char *out, size_t n);

/* The address when calling someone by name (a greeting: "Halo, ..."):
 * "Bapak Andi", "Ibu Ayu", or the name alone when the gender is not known
 * ("Halo, Ayu" rather than "Halo, Anda"). */
void sapaan_name(char gender, const char *called, char *out, size_t n);

/* The register of the Indonesian texts written in C (docs/coaching.md,
 * "Register"): 0 formal (the default), 1 casual ("santai"). The instance's
 * configuration sets it (core_set_config) before any message is handled;
 * it is only read afterwards. English has one register. */
void sapaan_set_casual(int casual);
int sapaan_casual(void);

/* An Indonesian text written in C in both registers, as an explicit pair:
 * SAPAAN_REG("... Anda ...", "... kamu ...") is the formal text unless the
 * instance's register is santai. Both are literals, so either can be a
 * format string. There is no rule-based rewrite: "Anda" has no single
 * casual form (kamu, -mu, the name). */
#define SAPAAN_REG(formal, santai) (sapaan_casual() ? (santai) : (formal))

/* The same for a table of texts {Indonesian, English, casual Indonesian}:
 * the index for language li (0 id, 1 en), 2 for Indonesian when santai. */
#define SAPAAN_LI(li) ((li) == 0 && sapaan_casual() ? 2 : (li))

#endif
