"""`twinpress batch`: a personalised copy of one source for every row of a recipients file.

recipients.py reads the file; personalise.py fills `{{field}}` placeholders; plan.py checks
every input before anything renders; run.py makes what is not up to date, writing in this
process; engines.py renders (the local warm pool, or dask.distributed); ledger.py keeps the
batch manifest, its journal and the mailing list; verifying.py is `verify --recipients`.
"""
