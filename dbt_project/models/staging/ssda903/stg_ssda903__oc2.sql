with

source as (
    select * from {{ source('ssda903', 'oc2') }}
),

typed as (
    select
        ---------- ids
        child,
        ---------- codes
        {{ clean_code('sdq_reason') }} as sdq_reason,
        ---------- numbers
        {{ to_integer('sdq_score') }} as sdq_score,
        {{ to_integer('convicted') }} as convicted,
        {{ to_integer('health_check') }} as health_check,
        {{ to_integer('immunisations') }} as immunisations,
        {{ to_integer('teeth_check') }} as teeth_check,
        {{ to_integer('health_assessment') }} as health_assessment,
        {{ to_integer('substance_misuse') }} as substance_misuse,
        {{ to_integer('intervention_received') }} as intervention_received,
        {{ to_integer('intervention_offered') }} as intervention_offered,
        ---------- dates
        {{ typed_date('dob') }},
        ---------- lineage
        la_code,
        collection_year,
        extract_date,
        source_file,
        source_row
    from source
)

select * from typed
