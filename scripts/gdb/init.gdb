# init.gdb - what `make debug` loads: the architecture, then ringside's helpers.
# The kernel starts in 32-bit mode; gdb must be told it is debugging x86-64
# before it connects, and the first stop should be a hardware breakpoint.
set architecture i386:x86-64
set confirm off
set pagination off
python
import os
helpers = os.path.join(os.path.dirname(gdb.current_progspace().filename or "."), "..", "scripts", "gdb", "ringside.py")
if os.path.exists(helpers):
    gdb.execute("source " + helpers)
end
