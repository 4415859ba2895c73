package org.jmail.store;

/** Where an appended message landed: UIDPLUS's APPENDUID data. */
public record AppendResult(long uidValidity, long uid) {
}
