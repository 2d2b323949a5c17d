{#
    Non-overlapping spells of each worker in one team, from workers.csv spells in post
    (kpis.md reading 6: START_DATE <= d and (END_DATE blank or END_DATE >= d)), as
    half-open intervals [valid_from, valid_to). On a day with several spells in post, the
    ROLE 4/5 spell that started last wins (reading 10), otherwise the spell that started
    last; ties to the smaller TEAM_ID. Spells with a blank or unreadable START_DATE or an
    unreadable END_DATE are left out (reading 17). Team name and district come from
    teams.csv (last line of a duplicated TEAM_ID); district is NULL when the team is unknown.
#}
with

workers as (
    select * from {{ ref('stg_local__workers') }}
    where
        {{ la_scope() }}
        and sw_id is not null
        and start_date is not null
        and is_valid_end_date
),

teams_ranked as (
    select
        *,
        row_number() over (partition by la_code, team_id order by source_row desc) as row_rank
    from {{ ref('stg_local__teams') }}
    where {{ la_scope() }} and team_id is not null
),

teams as (
    select * from teams_ranked
    where row_rank = 1
),

spells as (
    select
        la_code,
        sw_id,
        team_id,
        role,
        fte,
        agency,
        start_date,
        end_date,
        cast(end_date + 1 as date) as end_exclusive
    from workers
    where end_date is null or end_date >= start_date
),

bounds as (
    select
        la_code,
        sw_id,
        start_date as bound_date
    from spells
    union
    select
        la_code,
        sw_id,
        end_exclusive as bound_date
    from spells
    where end_exclusive is not null
),

intervals as (
    select
        la_code,
        sw_id,
        bound_date as valid_from,
        lead(bound_date) over (partition by la_code, sw_id order by bound_date) as valid_to
    from bounds
),

candidates as (
    select
        intervals.la_code,
        intervals.sw_id,
        intervals.valid_from,
        intervals.valid_to,
        spells.team_id,
        spells.role,
        spells.fte,
        spells.agency,
        spells.start_date as spell_start_date,
        row_number() over (
            partition by intervals.la_code, intervals.sw_id, intervals.valid_from
            order by
                coalesce(spells.role in (4, 5), false) desc,
                spells.start_date desc,
                spells.team_id asc
        ) as spell_rank
    from intervals
    inner join spells
        on
            intervals.la_code = spells.la_code
            and intervals.sw_id = spells.sw_id
            and intervals.valid_from >= spells.start_date
            and (spells.end_exclusive is null or intervals.valid_from < spells.end_exclusive)
),

final as (
    select
        candidates.la_code,
        candidates.sw_id,
        candidates.valid_from,
        candidates.valid_to,
        candidates.team_id,
        teams.team_name,
        teams.district,
        teams.service,
        candidates.role,
        candidates.fte,
        candidates.agency,
        candidates.spell_start_date
    from candidates
    left join teams
        on
            candidates.la_code = teams.la_code
            and candidates.team_id = teams.team_id
    where candidates.spell_rank = 1
)

select * from final
