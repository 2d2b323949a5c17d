-- Every KPI of one LA at its headline split (as headline_series.sql: breakdown 'all', else
-- '17-21', else the first; the catalogue frequency, else monthly, else the first), at the
-- latest period that ended on or before $end (any period when $end is null), for every
-- district and the LA total ('ALL'): what the district page compares.
with

kpi_values as (
    select * from marts.kpi_values
    where la_code = $la
),

catalogue as (
    select kpi_id, frequency from marts.kpi_catalogue
),

splits as (
    select distinct kpi_id, breakdown, period_type
    from kpi_values
),

headline_splits as (
    select
        splits.kpi_id,
        splits.breakdown,
        splits.period_type
    from splits
    left join catalogue on splits.kpi_id = catalogue.kpi_id
    qualify row_number() over (
        partition by splits.kpi_id
        order by
            case splits.breakdown when 'all' then 0 when '17-21' then 1 else 2 end,
            splits.breakdown,
            case
                when splits.period_type = catalogue.frequency then 0
                when splits.period_type = 'month' then 1
                else 2
            end,
            splits.period_type
    ) = 1
),

headline_values as (
    select kpi_values.*
    from kpi_values
    inner join headline_splits
        on
            kpi_values.kpi_id = headline_splits.kpi_id
            and kpi_values.breakdown = headline_splits.breakdown
            and kpi_values.period_type = headline_splits.period_type
    where $end::date is null or kpi_values.period_end <= $end::date
),

latest as (
    select
        kpi_id,
        max(period_end) as period_end
    from headline_values
    group by kpi_id
)

select
    headline_values.kpi_id,
    headline_values.breakdown,
    headline_values.period_type,
    headline_values.period_start,
    headline_values.period_end,
    headline_values.is_partial,
    headline_values.district,
    headline_values.numerator,
    headline_values.denominator,
    headline_values.value,
    headline_values.status
from headline_values
inner join latest
    on
        headline_values.kpi_id = latest.kpi_id
        and headline_values.period_end = latest.period_end
order by headline_values.kpi_id, headline_values.district
