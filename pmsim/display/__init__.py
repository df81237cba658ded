"""What a notebook shows: HTML for records, simulators and replays.

This room sits above the engine and the scenarios and reads them only through their public
API. The records themselves keep a one-line ``_repr_html_`` that imports their renderer from
here on first display, so ``import pmsim`` never loads it:

- :mod:`pmsim.display.html`: the small fragments (escaping, badges, tables, panels) and the
  one table of colours, from which everything else is built;
- :mod:`pmsim.display.records`: a panel per record (Customer, PaymentMethod, Event,
  SetupIntent, PaymentIntent);
- :mod:`pmsim.display.simulator`: a simulator at a glance, from ``sim.snapshot()``;
- :mod:`pmsim.display.timeline`: what each step of a replay changed, folded from the
  transcript alone;
- :mod:`pmsim.display.transcript`: a replay as a step-by-step table.

>>> import pmsim
>>> from pmsim.display.simulator import simulator_html
>>> "Simulator seed 7" in simulator_html(pmsim.Simulator(seed=7))
True
"""
