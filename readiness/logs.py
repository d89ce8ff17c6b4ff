"""Log formatting: every timestamp in UTC (ISO 8601, milliseconds, `Z`), whatever the host's zone.

The security log (refusals, CSRF failures) must say when something happened without anyone having to
know where the server's clock was set.
"""

import logging
import time


class UTCFormatter(logging.Formatter):
    converter = time.gmtime
    default_time_format = "%Y-%m-%dT%H:%M:%S"
    default_msec_format = "%s.%03dZ"
