{#
    One row per OC3 row (la_code, collection_year, child): a care leaver whose 17th to 21st
    birthday falls in the collection year, with the flags of the section C KPIs.
    - DOB comes from the OC3 row (reading 11); the birthday in the year is DOB + n years
      falling between 1 April and 31 March (month arithmetic: a 29 February birthday is on
      28 February in a common year); age = n. Rows aged outside 17-21 on it are left out
      of the KPIs (reading 11), so are rows with a blank or unreadable DOB (reading 17).
    - In-year: the birthday is on or before the extract date of that year's winning 903
      extract (reading 11); for a final return every row is in.
    - Cohort: IN_TOUCH not DIED and not RHOM (a blank IN_TOUCH stays, as not in touch).
      ACTIV 0 and ACCOM 0 (no information) stay in the cohort.
    - District, worker and team on the birthday (reading 7).
    A duplicated child in one year's file keeps its last line.
#}
with

oc3 as (
    select * from {{ ref('stg_ssda903__oc3') }}
    where {{ la_scope() }} and child is not null
),

district_spells as (
    select * from {{ ref('int_allocations__district_spells') }}
    where {{ la_scope() }}
),

deduplicated as (
    select
        *,
        cast(left(collection_year, 4) as integer) as start_year,
        count(*) over (partition by la_code, collection_year, child) as n_records
    from oc3
    qualify row_number() over (
        partition by la_code, collection_year, child
        order by source_row desc
    ) = 1
),

with_age as (
    select
        *,
        case
            when {{ add_years('dob', 'start_year - year(dob)') }} >= make_date(start_year, 4, 1)
                then start_year - year(dob)
            else start_year - year(dob) + 1
        end as age
    from deduplicated
),

flagged as (
    select
        la_code,
        collection_year,
        child,
        dob,
        is_valid_dob,
        {{ add_years('dob', 'age') }} as birthday,
        age,
        case
            when age between 17 and 18 then '17-18'
            when age between 19 and 21 then '19-21'
        end as age_group,
        in_touch,
        activ,
        accom,
        extract_date,
        coalesce(age between 17 and 21, false) as is_in_age_range,
        coalesce({{ add_years('dob', 'age') }} <= extract_date, false) as is_in_year,
        coalesce(in_touch not in ('DIED', 'RHOM'), true) as is_in_cohort,
        coalesce(activ in ('F1', 'P1', 'F2', 'P2', 'F3', 'P3', 'F4', 'P4', 'F5', 'P5'), false)
            as is_eet,
        coalesce(activ in ('G4', 'G5', 'G6'), false) as is_neet,
        coalesce(in_touch = 'YES', false) as is_in_touch,
        coalesce(right(accom, 1) = '1', false) as is_suitable_accom,
        coalesce(in_touch = 'NREQ', false) as is_nreq,
        coalesce(in_touch = 'REFU', false) as is_refu,
        n_records,
        source_file,
        source_row
    from with_age
),

final as (
    select
        flagged.la_code,
        flagged.collection_year,
        flagged.child,
        flagged.dob,
        flagged.is_valid_dob,
        flagged.birthday,
        flagged.age,
        flagged.age_group,
        flagged.in_touch,
        flagged.activ,
        flagged.accom,
        flagged.extract_date,
        flagged.is_in_age_range,
        flagged.is_in_year,
        flagged.is_in_cohort,
        flagged.dob is not null
        and flagged.is_in_age_range
        and flagged.is_in_year
        and flagged.is_in_cohort as is_in_kpis,
        flagged.is_eet,
        flagged.is_neet,
        flagged.is_in_touch,
        flagged.is_suitable_accom,
        flagged.is_nreq,
        flagged.is_refu,
        {{ district_on_column('district_spells') }} as district,
        district_spells.sw_id,
        district_spells.team_id,
        district_spells.team_name,
        flagged.n_records,
        flagged.source_file,
        flagged.source_row
    from flagged
    left join district_spells
        on {{ district_on_join(
            'district_spells', 'flagged.la_code', 'flagged.child', 'flagged.birthday'
        ) }}
)

select * from final
