/*
 * admin_hooks.c - the one place that connects the HR dashboard's API to the
 * domain modules (see admin_hooks.h). Constant data only. A hook left NULL
 * answers 501 until its module is merged; at merge, include the module's
 * header here and name its function, e.g.
 *     .survey_report = survey_admin_report,
 */
#include "adapters/admin/admin_hooks.h"
#include "bot/domain/mentoring/mentoring.h"
#include "bot/domain/privacy/privacy.h"
#include "bot/domain/survey/survey.h"

const struct admin_hooks admin_hooks = {
    .segment_check = survey_admin_segment,
    .survey_list = survey_admin_list,
    .survey_report = survey_admin_report,
    .survey_csv = survey_admin_csv,
    .survey_send = survey_admin_send,
    .broadcast_list = survey_admin_broadcasts,
    .broadcast_send = survey_admin_broadcast,
    .pair_suggest = mentoring_admin_suggest,
    .pair_apply = mentoring_admin_apply,
    .pair_list = mentoring_admin_list,
    .erasure_list = privacy_admin_erasures,
    .erasure_hold = privacy_admin_hold,
    .erasure_release = privacy_admin_release,
};
