// The schedules' admin form (django-celery-beat), without inline script: under the
// crontab field, a readable translation of the chosen crontab.
(function () {
  "use strict";
  var script = document.currentScript;
  var data = document.getElementById("readable-crontabs");
  var $ = window.django && window.django.jQuery;
  if (!script || !data || !$) {
    return;
  }
  var readable = JSON.parse(data.textContent);
  var originalHelp = script.dataset.crontabHelp || "";
  $(".field-crontab_translation").hide();
  $(".field-crontab").on("change", function () {
    var help = $(".field-crontab .help").empty();
    help.append(document.createTextNode(originalHelp));
    help.append(document.createElement("br"));
    help.append(document.createTextNode("Translation: " + readable[$("#id_crontab").val()]));
  });
})();
