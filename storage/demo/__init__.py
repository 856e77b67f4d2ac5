"""The parts of the demo-data generator, one concept per module.

``storage.demo_data.generate_demo_data`` is the entry point; these modules
hold the team, the catalogue, the segments, the accounts, the quotes, the
anomalies, the notes and the writer that puts them in the store.
"""
