/* pg_realtool: finding the real pip/npm on PATH (being written). */
