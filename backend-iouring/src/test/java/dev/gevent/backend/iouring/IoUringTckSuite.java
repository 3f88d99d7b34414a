package dev.gevent.backend.iouring;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/** Runs the whole TCK on the io_uring loop (surefire sets {@code -Dgevent.loop=io_uring}). */
@Suite
@SelectPackages("dev.gevent.tck")
@IncludeClassNamePatterns(".*Tck")
@ConfigurationParameter(key = "junit.jupiter.execution.timeout.default", value = "60 s")
public class IoUringTckSuite {
}
