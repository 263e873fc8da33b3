# The tutorial scripts under scripts/ are run by test_paste.py, never imported by collection (the
# --doctest-modules run would execute them at import).
collect_ignore = ["scripts"]
