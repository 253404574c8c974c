/**
 * The output tables: their names, keys and schemas ({@link io.neuroscope.jobs.table.OutputTable}),
 * where they are ({@link io.neuroscope.jobs.table.OutputTables}), keyed upserts, Delta commit
 * retries and catalog views.
 */
package io.neuroscope.jobs.table;
