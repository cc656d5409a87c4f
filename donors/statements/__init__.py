"""Bank statements matched to waiting pledges instead of bank references typed one by one.

The coordinator uploads the bank's statement (CSV or XLSX, ``parsing``); each credit line is matched to a
waiting pledge by the pledge's short reference (quoted by the donor in the transfer's description) and its amount
(``matching``, pure); the matched lines are confirmed in one step through the same ``pledge_confirm`` as the
one-by-one form (``services``), each transfer once even when the same statement, or an overlapping one, is
uploaded again.
"""
