"""Four analyst questions in DuckDB over a gongkai output folder, with nothing but its
load.sql. Prints one JSON line per answer: [name, rows]. tests/clients.rs asserts on it."""
import json, os, sys
import duckdb

os.chdir(sys.argv[1])  # load.sql names the files relative to the output folder
con = duckdb.connect()
con.execute(open("load.sql", encoding="utf-8").read())


def answer(name, sql):
    rel = con.sql(sql)
    rows = [dict(zip(rel.columns, r)) for r in rel.fetchall()]
    print(json.dumps([name, rows], ensure_ascii=False, default=str))


# 1. 三公 total and parts per department and year, 决算 and 预算 alike: one concept, and the
#    parts of 合计 are the rows whose parent_item is 合计.
answer("sangong", """
    select doc_id, department, year, report_type, "column",
           max(amount) filter (where level = '合计') as total,
           sum(amount) filter (where parent_item = '合计') as parts,
           abs(coalesce(max(amount) filter (where level = '合计'), 0) - coalesce(sum(amount) filter (where parent_item = '合计'), 0)) <= 0.05 as parts_equal_total
    from records where table_concept = '三公经费支出表' and block = ''
    group by all having total is not null and parts is not null order by all""")
# 2. 一般公共预算财政拨款支出 per region and year, each figure once: reports included in a
#    wider report of the run are left out.
answer("included", "select source_path, department, scope, included_in from documents where included_in <> ''")
answer("general_budget_by_region", """
    with totals as (
      select r.region_code, r.year, r.report_type, d.included_in <> '' as inside, r.amount
      from records r join documents d on d.doc_id = r.doc_id and d.status in ('ok', 'partial') and d.duplicate_of = ''
      where r.table_concept = '一般公共预算财政拨款支出表' and r.level = '合计' and r."column" = '合计' and r.block = '')
    select region_code, year, report_type, sum(amount) filter (where not inside) as once, sum(amount) as naive
    from totals group by all order by all""")
# 3. A department's 预算 beside its 决算: the 三公 budgeted (预算 合计), and what the 决算
#    reports as budgeted and as spent (the sum of the parts of 合计, which a report may print
#    without its 合计 row). Reports inside a wider one are left out.
answer("budget_vs_final", """
    with sangong as (
      select r.* from records r join documents d on d.doc_id = r.doc_id and d.included_in = ''
      where r.table_concept = '三公经费支出表' and r.block = ''),
    budget as (select department, year, sum(amount) as budgeted from sangong where report_type = '预算' and level = '合计' group by all),
    final as (
      select department, year,
             sum(amount) filter (where "column" = '预算数' and level = '合计') as final_budgeted,
             sum(amount) filter (where "column" = '决算数' and parent_item = '合计') as spent
      from sangong where report_type = '决算' group by all)
    select b.department, b.year as budget_year, f.year as final_year, b.budgeted, f.final_budgeted, f.spent
    from budget b join final f using (department) order by all""")
# 4. The largest failing checks, in words an editor can follow up.
answer("largest_failing", """
    select department, year, report_type, table_title, page, item, "column", expected, found, difference
    from checks where status = 'fail' order by abs(difference) desc limit 10""")
answer("checks_with_page", "select count(*) as n from checks where page is not null")
