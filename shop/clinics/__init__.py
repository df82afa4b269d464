"""Clinics: an approved trade account and the people who buy for it.

A practitioner's approved application opens a clinic with them as its owner; staff join it as
buyers and see the clinic's trade prices while its trade account stays approved.
"""
