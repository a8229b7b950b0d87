/*
 * admin_surveys.h - the HR dashboard's routes for surveys over time
 * (adapters/admin/admin_surveys.c): schedule a wave or a recurring series,
 * close a wave now, one wave's report and CSV, the trend across waves and
 * its CSV, stop a series. One row each in admin.c's routes[]; shapes in
 * docs/api.md.
 *
 * Threads: core thread only, as admin.c.
 */
#ifndef ADMIN_SURVEYS_H
#define ADMIN_SURVEYS_H

struct areq;

void admin_surveys_schedule(struct areq *r);    /* POST /surveys/ID/schedule */
void admin_surveys_trend(struct areq *r);       /* GET /surveys/ID/trend */
void admin_surveys_trend_csv(struct areq *r);   /* GET /surveys/ID/trend/csv */
void admin_surveys_wave(struct areq *r);        /* GET /survey-waves/N */
void admin_surveys_wave_csv(struct areq *r);    /* GET /survey-waves/N/csv */
void admin_surveys_close(struct areq *r);       /* POST /survey-waves/N/close */
void admin_surveys_series_stop(struct areq *r); /* POST /survey-series/N/stop */

#endif
