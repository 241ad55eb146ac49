package io.sessionstate.spring.boot;

import io.sessionstate.servlet.SessionFilter;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Set;

/**
 * The Servlet filter's registration: the {@code sessionstate.filter.*} properties, which {@link
 * SessionStateProperties} holds. Not thread-safe: Spring Boot binds them once at startup.
 */
public class FilterProperties {

  /** The filter's order: ahead of Spring Security (-100), so that sign-in lands in this session. */
  private int order = Integer.MIN_VALUE + 50;

  /** The dispatcher types the filter serves. */
  private Set<DispatcherType> dispatcherTypes =
      EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);

  /** What a request does when its session cannot be committed. */
  private SessionFilter.CommitFailure commitFailure = SessionFilter.CommitFailure.RESPOND_503;

  /** Properties at their defaults, for Spring Boot to bind. */
  public FilterProperties() {}

  /** {@return the value of {@code sessionstate.filter.order}} */
  public int getOrder() {
    return order;
  }

  /**
   * Sets {@code sessionstate.filter.order}.
   *
   * @param order the value
   */
  public void setOrder(int order) {
    this.order = order;
  }

  /** {@return the value of {@code sessionstate.filter.dispatcher-types}} */
  public Set<DispatcherType> getDispatcherTypes() {
    return dispatcherTypes;
  }

  /**
   * Sets {@code sessionstate.filter.dispatcher-types}.
   *
   * @param dispatcherTypes the value
   */
  public void setDispatcherTypes(Set<DispatcherType> dispatcherTypes) {
    this.dispatcherTypes = dispatcherTypes;
  }

  /** {@return the value of {@code sessionstate.filter.commit-failure}} */
  public SessionFilter.CommitFailure getCommitFailure() {
    return commitFailure;
  }

  /**
   * Sets {@code sessionstate.filter.commit-failure}.
   *
   * @param commitFailure the value
   */
  public void setCommitFailure(SessionFilter.CommitFailure commitFailure) {
    this.commitFailure = commitFailure;
  }
}
