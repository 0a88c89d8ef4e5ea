/* pg_realtool: finding the real pip/npm on PATH (being written). */
typedef int pg_realtool_placeholder;
