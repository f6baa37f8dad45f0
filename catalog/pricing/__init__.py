"""Prices and what they cost: the price vocabulary (prices.py: every upstream price
key, its unit and how it is billed), a workload's monthly cost in Python and in SQL
(costs.py), and the workloads people price (workloads.py).

prices.py is pure Python, read by sources too; costs.py and workloads.py use Django.
"""
