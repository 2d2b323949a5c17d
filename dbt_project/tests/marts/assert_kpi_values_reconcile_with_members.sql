{#
    Every KPI value that has members (kpi_members) is exactly what its members add up to:
    numerator = sum of numerator_weight over members in the numerator, denominator = sum
    of denominator_weight over members in the denominator (1 per member for counts; cases
    and FTE for workers), count KPIs: denominator NULL; at district level and for the LA
    total (ALL = every district). Values not supplied have no members and are skipped.
    Sums of FTE are compared to 1e-6.
#}
with

kpi_values as (
    select * from {{ ref('kpi_values') }}
    where
        {{ la_test_scope() }}
        and status != 'not_supplied'
        and kpi_id in (select distinct kpi_id from {{ ref('kpi_members') }})
),

members as (
    select * from {{ ref('kpi_members') }}
    where {{ la_test_scope() }}
),

member_counts as (
    select
        la_code,
        case when grouping(district) = 1 then 'ALL' else district end as district,
        breakdown,
        period_type,
        period_end,
        kpi_id,
        coalesce(sum(numerator_weight) filter (where in_numerator), 0) as numerator,
        coalesce(sum(denominator_weight) filter (where in_denominator), 0) as denominator,
    from members
    group by grouping sets (
        (la_code, district, breakdown, period_type, period_end, kpi_id),
        (la_code, breakdown, period_type, period_end, kpi_id)
    )
)

select
    kpi_values.*,
    member_counts.numerator as member_numerator,
    member_counts.denominator as member_denominator,
from kpi_values
left join member_counts
    on
        kpi_values.la_code = member_counts.la_code
        and kpi_values.district = member_counts.district
        and kpi_values.breakdown = member_counts.breakdown
        and kpi_values.period_type = member_counts.period_type
        and kpi_values.period_end = member_counts.period_end
        and kpi_values.kpi_id = member_counts.kpi_id
where
    abs(kpi_values.numerator - coalesce(member_counts.numerator, 0)) > 1e-6
    or (
        kpi_values.denominator is not null
        and abs(kpi_values.denominator - coalesce(member_counts.denominator, 0)) > 1e-6
    )
