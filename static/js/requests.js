/* Majlis — citizen requests (citizen_requests/templates/citizen_requests/).
 *
 * Two small helps, both optional (the forms work without them):
 * - "Use my location" on the filing page fills the hidden latitude and longitude fields from
 *   the device, when the citizen allows it (no map: nothing is fetched from elsewhere);
 * - the receipt's Print button.
 * Translated texts come from data- attributes written by the template.
 */
(function () {
  "use strict";

  function locate(root) {
    var form = root.closest("form");
    var latitude = form && form.querySelector("input[name='latitude']");
    var longitude = form && form.querySelector("input[name='longitude']");
    if (!latitude || !longitude || !("geolocation" in navigator)) return;
    var use = root.querySelector("[data-request-locate-use]");
    var clear = root.querySelector("[data-request-locate-clear]");
    var status = root.querySelector(".request-locate__status");
    function say(name) {
      status.textContent = root.getAttribute("data-text-" + name) || "";
    }
    function set(lat, lng) {
      latitude.value = lat;
      longitude.value = lng;
      clear.hidden = !lat;
    }
    root.hidden = false;
    if (latitude.value) clear.hidden = false;
    use.addEventListener("click", function () {
      say("locating");
      use.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          use.disabled = false;
          set(position.coords.latitude.toFixed(6), position.coords.longitude.toFixed(6));
          say("located");
        },
        function () {
          use.disabled = false;
          say("refused");
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
    clear.addEventListener("click", function () {
      set("", "");
      say("removed");
      use.focus();
    });
  }

  function ready() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-request-locate]"), locate);
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
