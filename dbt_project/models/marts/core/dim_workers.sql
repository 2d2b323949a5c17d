{#
    One row per social worker (la_code, sw_id) of workers.csv: first start and last end
    of their spells, their latest spell in post (team, district, role, FTE, agency), and
    on the LA's as-at date whether they are in post and how many children they hold
    (distinct children with an open allocation).
#}
with

workers as (
    select * from {{ ref('stg_local__workers') }}
    where {{ la_scope() }} and sw_id is not null
),

worker_team_spells as (
    select * from {{ ref('int_local__worker_team_spells') }}
    where {{ la_scope() }}
),

allocations as (
    select * from {{ ref('fct_allocations') }}
    where {{ la_scope() }} and is_open_at_as_at
),

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }}
),

worker_dates as (
    select
        la_code,
        sw_id,
        min(start_date) as first_start_date,
        case when bool_or(end_date is null) then null else max(end_date) end as last_end_date,
        count(*) as spells
    from workers
    group by la_code, sw_id
),

latest_spells as (
    select * from worker_team_spells
    qualify row_number() over (partition by la_code, sw_id order by valid_from desc) = 1
),

open_cases as (
    select
        la_code,
        sw_id,
        count(distinct child) as open_cases_at_as_at
    from allocations
    group by la_code, sw_id
),

final as (
    select
        worker_dates.la_code,
        worker_dates.sw_id,
        worker_dates.first_start_date,
        worker_dates.last_end_date,
        worker_dates.spells,
        latest_spells.team_id,
        latest_spells.team_name,
        coalesce(latest_spells.district, 'Unallocated') as district,
        latest_spells.service,
        latest_spells.role,
        latest_spells.fte,
        latest_spells.agency,
        coalesce(
            latest_spells.valid_from <= las.as_at_date
            and (latest_spells.valid_to is null or latest_spells.valid_to > las.as_at_date),
            false
        ) as is_in_post_at_as_at,
        coalesce(open_cases.open_cases_at_as_at, 0) as open_cases_at_as_at,
        las.as_at_date
    from worker_dates
    inner join las
        on worker_dates.la_code = las.la_code
    left join latest_spells
        on
            worker_dates.la_code = latest_spells.la_code
            and worker_dates.sw_id = latest_spells.sw_id
    left join open_cases
        on
            worker_dates.la_code = open_cases.la_code
            and worker_dates.sw_id = open_cases.sw_id
)

select * from final
