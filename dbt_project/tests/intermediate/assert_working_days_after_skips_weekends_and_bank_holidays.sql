{#
    working_days_after (kpis.md reading 4): the N-th working day strictly after s, with
    England and Wales bank holidays off. Checked only where the calendar covers the dates
    (its range follows the data).
#}
with

cases as (
    select * from (
        values
        (date '2024-12-24', 1, date '2024-12-27'),  -- Christmas Day and Boxing Day
        (date '2024-03-28', 1, date '2024-04-02'),  -- Good Friday and Easter Monday
        (date '2025-03-01', 1, date '2025-03-03'),  -- from a Saturday
        (date '2025-03-03', 10, date '2025-03-17'),
        (date '2025-05-02', 20, date '2025-06-03')  -- two May bank holidays
    ) as case_list (start_date, n_days, expected)
),

covered as (
    select cases.*
    from cases
    where
        cases.start_date >= (select min(calendar_date) from {{ ref('int_calendar__working_days') }})
        and cases.expected <= (select max(calendar_date) from {{ ref('int_calendar__working_days') }})
),

computed as (
    select
        covered.*,
        {{ working_days_after('covered.start_date', 'covered.n_days') }} as actual
    from covered
)

select * from computed
where actual is distinct from expected
