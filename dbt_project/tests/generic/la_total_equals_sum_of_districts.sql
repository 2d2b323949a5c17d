{#
    The LA total (district 'ALL') equals the sum over its districts, including Unallocated
    and County (data-contract.md "Where a child belongs"), for the numerator and the
    denominator of every KPI row in a kpi_values-shaped model. KPIs whose units can sit in
    more than one district at once, or that are not sums (cla_rate_per_10k), can be listed
    in exclude_kpi_ids. Sums of FTE are compared to 1e-6.
#}
{% test la_total_equals_sum_of_districts(model, exclude_kpi_ids=[]) %}

with

la_totals as (
    select * from {{ model }}
    where district = 'ALL'
),

district_sums as (
    select
        la_code,
        breakdown,
        period_type,
        period_end,
        kpi_id,
        sum(numerator) as numerator,
        sum(denominator) as denominator,
    from {{ model }}
    where district != 'ALL'
    group by la_code, breakdown, period_type, period_end, kpi_id
)

select
    la_totals.la_code,
    la_totals.breakdown,
    la_totals.period_type,
    la_totals.period_end,
    la_totals.kpi_id,
    la_totals.numerator,
    district_sums.numerator as sum_numerator,
    la_totals.denominator,
    district_sums.denominator as sum_denominator,
from la_totals
left join district_sums
    on
        la_totals.la_code = district_sums.la_code
        and la_totals.breakdown = district_sums.breakdown
        and la_totals.period_type = district_sums.period_type
        and la_totals.period_end = district_sums.period_end
        and la_totals.kpi_id = district_sums.kpi_id
where
    {% if exclude_kpi_ids %}
    la_totals.kpi_id not in ('{{ exclude_kpi_ids | join("', '") }}') and
    {% endif %}
    (
        (la_totals.numerator is null) != (district_sums.numerator is null)
        or (la_totals.denominator is null) != (district_sums.denominator is null)
        or abs(la_totals.numerator - district_sums.numerator) > 1e-6
        or abs(la_totals.denominator - district_sums.denominator) > 1e-6
    )

{% endtest %}
