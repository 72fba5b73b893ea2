// The loader of the book's explorable figures (book/_ext/explorable.py adds it to the pages that
// have one). It loads Vega, Vega-Lite and vega-embed from this folder (the build copies them; the
// page loads nothing from the network), then renders every <div class="explorable"> with its
// module's render({ model, el }) in the anywidget style: the explorable's own <name>.js, or the
// shared one below. The model holds the spec the book's build computed; el is the view's <div>.
(() => {
  const base = document.currentScript.src.replace(/[^/]*$/, "");
  const defaultModule = {
    render({ model, el }) {
      return vegaEmbed(el, model.get("spec"), { actions: false });
    },
  };

  // The UMD bundles register as AMD modules when the page defines an AMD `define` (require.js):
  // hide it while they load, so they become the globals vega, vegaLite and vegaEmbed either way.
  function loadScript(file) {
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = base + file;
      script.onload = resolve;
      script.onerror = () => reject(new Error("could not load " + script.src));
      document.head.appendChild(script);
    });
  }
  async function loadVega() {
    const amd = window.define;
    window.define = undefined;
    try {
      for (const file of ["vega.js", "vega-lite.js", "vega-embed.js"]) await loadScript(file);
    } finally {
      window.define = amd;
    }
  }

  async function renderOne(box) {
    const spec = JSON.parse(box.querySelector("script.explorable-spec").textContent);
    const model = { get: (key) => ({ spec })[key], set() {}, on() {}, off() {}, save_changes() {} };
    const file = box.dataset.render;
    const module = file ? (await import(base + file)).default : defaultModule;
    const el = box.querySelector(".explorable-view");
    const result = await module.render({ model, el });
    box.explorableView = result && result.view ? result.view : result; // for the browser tests
    box.querySelector(".explorable-fallback")?.remove();
    box.dataset.ready = "true";
  }

  async function main() {
    const boxes = [...document.querySelectorAll("div.explorable[data-explorable]")];
    if (!boxes.length) return;
    const style = document.createElement("style");
    style.textContent =
      ".explorable { margin: 1em 0 1.5em; } .explorable .vega-bind { margin: 0.2em 0; }" +
      " .explorable .vega-bind-name { display: inline-block; min-width: 8em; }" +
      " .explorable .vega-bind-radio label { margin: 0 0.8em 0 0.2em; }";
    document.head.appendChild(style);
    await loadVega();
    await Promise.all(
      boxes.map((box) =>
        renderOne(box).catch((error) => {
          box.dataset.ready = "failed";
          console.error(`explorable ${box.dataset.explorable}:`, error);
        }),
      ),
    );
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
  else main();
})();
