{#
    One row per Personal Education Plan meeting (la_code, child, pep_date), from the local
    peps table, with the flags the section B KPIs use. Several lines for one child and date
    are one meeting recorded more than once (bad input, n_records says how many): the most
    advanced line wins (COMPLETE, then rated, then the last line). A PEP with a blank or
    unreadable PEP_DATE cannot be placed in time and is left out (reading 17). district /
    sw_id / team on the PEP's date are for display; the KPIs place a PEP on their
    measurement date (reading 7).
#}
with

peps as (
    select * from {{ ref('stg_local__peps') }}
    where {{ la_scope() }} and child is not null and pep_date is not null
),

district_spells as (
    select * from {{ ref('int_allocations__district_spells') }}
    where {{ la_scope() }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by la_code, child, pep_date
            order by
                coalesce(status = 'COMPLETE', false) desc,
                (quality is not null) desc,
                source_row desc
        ) as row_rank,
        count(*) over (partition by la_code, child, pep_date) as n_records
    from peps
),

flagged as (
    select
        la_code,
        child,
        pep_date,
        pep_type,
        status,
        quality,
        coalesce(status = 'COMPLETE', false) as is_complete,
        coalesce(status = 'COMPLETE' and quality is not null, false) as is_rated,
        coalesce(status = 'COMPLETE' and quality = 'GOOD', false) as is_good,
        {{ term_start('pep_date') }} as term_start,
        n_records,
        extract_date,
        source_file,
        source_row
    from ranked
    where row_rank = 1
),

final as (
    select
        flagged.la_code,
        flagged.child,
        flagged.pep_date,
        flagged.pep_type,
        flagged.status,
        flagged.quality,
        flagged.is_complete,
        flagged.is_rated,
        flagged.is_good,
        flagged.term_start,
        {{ district_on_column('district_spells') }} as district,
        district_spells.sw_id,
        district_spells.team_id,
        district_spells.team_name,
        flagged.n_records,
        flagged.extract_date,
        flagged.source_file,
        flagged.source_row
    from flagged
    left join district_spells
        on {{ district_on_join(
            'district_spells', 'flagged.la_code', 'flagged.child', 'flagged.pep_date'
        ) }}
)

select * from final
