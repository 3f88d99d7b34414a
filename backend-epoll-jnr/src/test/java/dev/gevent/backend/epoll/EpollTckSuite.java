package dev.gevent.backend.epoll;

import org.junit.platform.suite.api.ConfigurationParameter;
import org.junit.platform.suite.api.IncludeClassNamePatterns;
import org.junit.platform.suite.api.SelectPackages;
import org.junit.platform.suite.api.Suite;

/** Runs the whole TCK on the epoll loop (surefire sets {@code -Dgevent.loop=epoll}). */
@Suite
@SelectPackages("dev.gevent.tck")
@IncludeClassNamePatterns(".*Tck")
@ConfigurationParameter(key = "junit.jupiter.execution.timeout.default", value = "60 s")
public class EpollTckSuite {
}
