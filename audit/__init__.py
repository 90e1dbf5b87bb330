"""Consistency audit: do the participants' records agree with one another and with the view?"""
