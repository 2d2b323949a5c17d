{#
    One row per team (la_code, team_id) of teams.csv (a duplicated TEAM_ID keeps its last
    line), with the workers in post in it on the LA's as-at date.
#}
with

teams as (
    select * from {{ ref('stg_local__teams') }}
    where {{ la_scope() }} and team_id is not null
    qualify row_number() over (partition by la_code, team_id order by source_row desc) = 1
),

worker_team_spells as (
    select * from {{ ref('int_local__worker_team_spells') }}
    where {{ la_scope() }}
),

las as (
    select * from {{ ref('int_la__extracts') }}
    where {{ la_scope() }}
),

workers_now as (
    select
        worker_team_spells.la_code,
        worker_team_spells.team_id,
        count(*) as workers_in_post,
        count(*) filter (where worker_team_spells.role in (4, 5)) as case_holders_in_post,
        sum(worker_team_spells.fte) as fte_in_post
    from worker_team_spells
    inner join las
        on worker_team_spells.la_code = las.la_code
    where
        worker_team_spells.valid_from <= las.as_at_date
        and (worker_team_spells.valid_to is null or worker_team_spells.valid_to > las.as_at_date)
    group by worker_team_spells.la_code, worker_team_spells.team_id
),

final as (
    select
        teams.la_code,
        teams.team_id,
        teams.team_name,
        coalesce(teams.district, 'Unallocated') as district,
        teams.service,
        coalesce(workers_now.workers_in_post, 0) as workers_in_post,
        coalesce(workers_now.case_holders_in_post, 0) as case_holders_in_post,
        coalesce(workers_now.fte_in_post, 0) as fte_in_post
    from teams
    left join workers_now
        on
            teams.la_code = workers_now.la_code
            and teams.team_id = workers_now.team_id
)

select * from final
