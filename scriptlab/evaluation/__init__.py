"""Measurements of the stages on generated data of known truth (the sample generator's):
how good scoring's winners are (`scoring`), how well lookup finds entries (`lookup`).

Above the stages and beside the demo: production code never imports this, nor the sample
generator it uses.
"""
