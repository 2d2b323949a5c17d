{# Every KPI id of kpis.md sections A-F (with the reading-14 ids) is in the catalogue. #}
with

spec_ids as (
    select * from (
        values
        ('missing_episodes'), ('away_episodes'), ('missing_cla_pct'), ('rhi_offered_pct'),
        ('rhi_accepted_pct'), ('rhi_within_72h_pct'),
        ('pep_in_term_pct'), ('pep_initial_10wd_pct'), ('pep_quality_good_pct'),
        ('cl_eet_pct'), ('cl_neet_pct'), ('cl_in_touch_pct'), ('cl_suitable_accom_pct'),
        ('cl_nreq_pct'), ('cl_refu_pct'),
        ('caseload_avg'), ('caseload_high_pct'), ('agency_fte_pct'), ('cla_unallocated'),
        ('cla_count'), ('cla_rate_per_10k'), ('cla_starts'), ('cla_ceased'),
        ('placement_3plus_pct'), ('placement_long_term_pct'), ('cla_review_in_date_pct'),
        ('health_assessment_pct'), ('dental_check_pct'), ('immunisations_pct'),
        ('placed_outside_la_pct'), ('placed_20_miles_pct')
    ) as spec (kpi_id)
)

select spec_ids.kpi_id
from spec_ids
anti join {{ ref('dim_kpi_catalogue') }} as catalogue
    on spec_ids.kpi_id = catalogue.kpi_id
