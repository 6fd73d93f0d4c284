"""page.extra["budget_codes"]: the deepest 科目编码 of 部门预算/决算 tables (BUD-03), on tables laid out the way
部门预决算 公开表 are published (编码 and 名称 columns, or split 类/款/项 columns)."""
from __future__ import annotations

from datetime import date

from crawler.facts import extract

AS_OF = date(2026, 11, 20)


def page(body: str, title: str = "测试局2026年部门预算") -> dict:
    html = (f"<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<div class='article-content'><p>现将{title}公开如下。</p>{body}</div></body></html>").encode()
    return extract(html, "http://www.example.gov.cn/czyjs/t1.html", as_of=AS_OF).extra


FUNCTION = """<p>表五：一般公共预算支出表</p>
<table border="1"><tr><td>功能分类科目编码</td><td>功能分类科目名称</td><td>合计</td><td>基本支出</td><td>项目支出</td></tr>
<tr><td>211</td><td>节能环保支出</td><td>1,234.56</td><td>800.00</td><td>434.56</td></tr>
<tr><td>21101</td><td>环境保护管理事务</td><td>1,034.56</td><td>800.00</td><td>234.56</td></tr>
<tr><td>2110101</td><td>行政运行</td><td>800.00</td><td>800.00</td><td></td></tr>
<tr><td>2110104</td><td>生态环境保护宣传</td><td>234.56</td><td></td><td>234.56</td></tr>
<tr><td>208</td><td>社会保障和就业支出</td><td>200.00</td><td>200.00</td><td></td></tr>
<tr><td>合计</td><td></td><td>1,434.56</td><td>1,000.00</td><td>434.56</td></tr></table>"""

ECONOMIC = """<p>表六：一般公共预算基本支出表</p>
<table border="1"><thead><tr><th>部门经济分类科目编码</th><th>科目名称</th><th>人员经费</th><th>公用经费</th></tr></thead>
<tbody><tr><td>301</td><td>工资福利支出</td><td>700.00</td><td></td></tr>
<tr><td>30101</td><td>基本工资</td><td>300.00</td><td></td></tr>
<tr><td>30102</td><td>津贴补贴</td><td>200.00</td><td></td></tr>
<tr><td>302</td><td>商品和服务支出</td><td></td><td>100.00</td></tr>
<tr><td>30201</td><td>办公费</td><td></td><td>20.00</td></tr></tbody></table>"""


def test_function_to_item_and_economic_to_section():
    assert page(FUNCTION + ECONOMIC)["budget_codes"] == {
        "function": {"max_digits": 7, "count": 5, "example": "2110101"},
        "economic": {"max_digits": 5, "count": 5, "example": "30101"},
    }


def test_codes_stopping_at_section_and_class():
    shallow = """<table><tr><td>科目编码</td><td>科目名称</td><td>合计</td></tr>
    <tr><td>211</td><td>节能环保支出</td><td>1,234.56</td></tr><tr><td>21101</td><td>环境保护管理事务</td><td>1,034.56</td></tr>
    <tr><td>21103</td><td>污染防治</td><td>200.00</td></tr></table>
    <table><tr><td>经济分类科目编码</td><td>科目名称</td><td>金额</td></tr>
    <tr><td>301</td><td>工资福利支出</td><td>700.00</td></tr><tr><td>302</td><td>商品和服务支出</td><td>100.00</td></tr></table>"""
    codes = page(shallow, "测试局2025年度部门决算")["budget_codes"]
    assert codes == {"function": {"max_digits": 5, "count": 3, "example": "21101"},
                     "economic": {"max_digits": 3, "count": 2, "example": "301"}}


def test_split_class_section_item_columns_are_joined():
    split = """<table border="1"><tr><td colspan="3">科目编码</td><td rowspan="2">科目名称</td><td rowspan="2">本年支出</td></tr>
    <tr><td>类</td><td>款</td><td>项</td></tr>
    <tr><td>211</td><td></td><td></td><td>节能环保支出</td><td>1,234.56</td></tr>
    <tr><td></td><td>01</td><td></td><td>环境保护管理事务</td><td>1,034.56</td></tr>
    <tr><td></td><td></td><td>01</td><td>行政运行</td><td>800.00</td></tr>
    <tr><td>211</td><td>03</td><td>01</td><td>大气</td><td>200.00</td></tr></table>"""
    assert page(split, "测试局2025年度部门决算")["budget_codes"] == {
        "function": {"max_digits": 7, "count": 4, "example": "2110101"}}


def test_pages_without_code_tables_or_budget_words_have_no_codes():
    sangong = ("<table><tr><th>合计</th><th>因公出国（境）费</th><th>公务接待费</th></tr>"
               "<tr><td>13.50</td><td>0.00</td><td>4.00</td></tr></table>")
    assert "budget_codes" not in page(sangong)  # a 三公 table: no 科目编码
    no_words = ("<html><head><meta charset='utf-8'><title>名录</title></head><body><div class='article-content'>"
                "<table><tr><td>序号</td><td>名称</td></tr><tr><td>211</td><td>某企业</td></tr></table>"
                "</div></body></html>").encode()
    assert "budget_codes" not in extract(no_words, "http://www.example.gov.cn/a.html", as_of=AS_OF).extra
