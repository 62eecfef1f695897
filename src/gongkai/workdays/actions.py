"""Event codes written by the calendar services."""

from gongkai.eventlog.registry import register_actions

YEAR_IMPORT = "workdays.year_import"
YEAR_SEED = "workdays.year_seed"

register_actions(
    {
        YEAR_IMPORT: "导入节假日安排",
        YEAR_SEED: "载入内置节假日安排",
    }
)
