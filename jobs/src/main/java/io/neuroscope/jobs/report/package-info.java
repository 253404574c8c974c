/** What people read: the self-contained HTML report and the side-by-side comparison of runs. */
package io.neuroscope.jobs.report;
