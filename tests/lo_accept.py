"""Run by the system python3 (LibreOffice's ``uno`` module lives there), not by pytest.

``python3 lo_accept.py FILE.docx accept|reject PORT PROFILE_DIR`` opens the file in
headless LibreOffice, applies Accept All (or Reject All) to the tracked
changes, and prints each body paragraph as "style\\x1ftext", one per line.
"""

import os
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(path, mode, port, profile):
    office = subprocess.Popen(
        ["soffice", "--headless", "--norestore", "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
         "--accept=socket,host=127.0.0.1,port=%s;urp;" % port],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(120):
            try:
                ctx = resolver.resolve("uno:socket,host=127.0.0.1,port=%s;urp;StarOffice.ComponentContext" % port)
                break
            except Exception:  # noqa: BLE001 - not listening yet
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0,
                                           (_prop("Hidden", True),))
        command = ".uno:AcceptAllTrackedChanges" if mode == "accept" else ".uno:RejectAllTrackedChanges"
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        dispatcher.executeDispatch(doc.getCurrentController().getFrame(), command, "", 0, ())
        paragraphs = doc.getText().createEnumeration()
        while paragraphs.hasMoreElements():
            p = paragraphs.nextElement()
            if p.supportsService("com.sun.star.text.Paragraph"):
                sys.stdout.write(p.ParaStyleName + "\x1f" + p.getString().replace("\n", " ") + "\n")
        doc.close(True)
    finally:
        office.terminate()
        office.wait(timeout=60)


if __name__ == "__main__":
    main(*sys.argv[1:5])
