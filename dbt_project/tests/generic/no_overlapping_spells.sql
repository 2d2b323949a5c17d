{#
    Spells [valid_from, valid_to) (valid_to NULL = open) of one entity never overlap: each
    spell ends on or before the next one starts.
#}
{% test no_overlapping_spells(model, partition_by, from_column='valid_from', to_column='valid_to') %}

with

ordered as (
    select
        {{ partition_by | join(', ') }},
        {{ from_column }} as spell_from,
        {{ to_column }} as spell_to,
        lead({{ from_column }}) over (
            partition by {{ partition_by | join(', ') }}
            order by {{ from_column }}
        ) as next_from,
    from {{ model }}
)

select * from ordered
where next_from is not null and (spell_to is null or spell_to > next_from)

{% endtest %}
