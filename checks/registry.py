"""The vocabulary of check types that rules may name in their `check:` field."""
from checks.availability import Availability
from checks.budget import BudgetCodeLevel
from checks.columns import ColumnExists, ColumnFresh, ColumnNotBlank
from checks.content import DisclosureLag, MetadataPresent, PageFields, PersonalData, WordingTerms
from checks.eia import AttachmentPresent, NoticePeriod, NoticeTimely, StagesPresent
from checks.homepage import HomepageFresh, JiucuoEntrance, SearchEntrance
from checks.identifiers import FooterIdentifiers
from checks.interaction import MessagesAnswered
from checks.links import BrokenLinks, FragmentTargets
from checks.periodic import PeriodicItem

CHECKS = {
    "availability": Availability(),
    "column_exists": ColumnExists(),
    "column_fresh": ColumnFresh(),
    "column_not_blank": ColumnNotBlank(),
    "footer_identifiers": FooterIdentifiers(),
    "homepage_fresh": HomepageFresh(),
    "jiucuo_entrance": JiucuoEntrance(),
    "broken_links": BrokenLinks(),
    "fragment_targets": FragmentTargets(),
    "periodic_item": PeriodicItem(),
    "metadata_present": MetadataPresent(),
    "page_fields": PageFields(),
    "budget_code_level": BudgetCodeLevel(),
    "disclosure_lag": DisclosureLag(),
    "personal_data": PersonalData(),
    "wording_terms": WordingTerms(),
    "attachment_present": AttachmentPresent(),
    "stages_present": StagesPresent(),
    "search_entrance": SearchEntrance(),
    "messages_answered": MessagesAnswered(),
    "notice_timely": NoticeTimely(),
    "notice_period": NoticePeriod(),
}
